'use strict';
// The review page. Every piece of data (gateway and camera ids, labels, messages)
// reaches the DOM through textContent or attribute values, never as markup.
(function () {
  const RUNNING = ['EXTRACTING', 'TRAINING', 'EVALUATING', 'DELIVERING'];
  const SVG = 'http://www.w3.org/2000/svg';
  const view = { gateway: null, camera: null, offset: 0, limit: 0, training: null };
  let trainingTimer = 0;
  let datasetsInFlight = false;

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    return e;
  }

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', !!isError);
  }

  async function api(path, body) {
    const init = body === undefined ? { headers: { Accept: 'application/json' } }
      : { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) };
    const r = await fetch(path, init);
    let json = null;
    try { json = await r.json(); } catch (ignored) { /* not JSON: reported below by status */ }
    if (!r.ok && !(r.status === 409 && json)) {
      const err = new Error(json && json.error ? json.error : r.status + ' ' + r.statusText);
      err.status = r.status;
      throw err;
    }
    return json;
  }

  function reportError(what, err) {
    setStatus(err.status === 503 ? 'annotator not running' : what + ': ' + err.message, true);
  }

  // ---- datasets ----

  async function loadDatasets() {
    if (datasetsInFlight) return;
    datasetsInFlight = true;
    try {
      const json = await api('api/datasets');
      renderDatasets(json.datasets);
      setStatus('annotator running, ' + json.datasets.length + ' dataset(s)', false);
    } catch (err) {
      renderDatasets([]);
      reportError('datasets', err);
    } finally {
      datasetsInFlight = false;
    }
  }

  function renderDatasets(list) {
    const body = $('datasets').tBodies[0];
    body.replaceChildren();
    for (const d of list) body.appendChild(datasetRow(d));
    $('no-datasets').hidden = list.length > 0;
    updateTrainButton();
  }

  function datasetRow(d) {
    const tr = el('tr', 'dataset');
    tr.dataset.gateway = d.gateway;
    tr.dataset.camera = d.camera;
    if (d.gateway === view.gateway && d.camera === view.camera) tr.classList.add('selected');
    tr.appendChild(el('td', 'gateway', d.gateway));
    tr.appendChild(el('td', 'camera', d.camera));
    const images = el('td', 'images', d.images);
    images.title = d.train + ' train / ' + d.validation + ' validation';
    tr.appendChild(images);
    tr.appendChild(el('td', 'accepted', d.accepted));
    tr.appendChild(el('td', 'rejected', d.rejected));
    const classes = el('td', 'classes');
    for (const [label, n] of Object.entries(d.teacherBoxesPerClass)) {
      const c = el('span', 'class-count', label + ' ' + n);
      c.dataset.label = label;
      c.dataset.count = String(n);
      classes.appendChild(c);
    }
    tr.appendChild(classes);
    tr.appendChild(el('td', 'model', d.activeModelVersion || '–'));
    tr.addEventListener('click', () => selectDataset(d.gateway, d.camera));
    return tr;
  }

  function selectDataset(gateway, camera) {
    view.gateway = gateway;
    view.camera = camera;
    view.offset = 0;
    for (const tr of $('datasets').tBodies[0].rows) {
      tr.classList.toggle('selected', tr.dataset.gateway === gateway && tr.dataset.camera === camera);
    }
    $('frames-title').textContent = gateway + ' / ' + camera;
    updateTrainButton();
    loadItems();
  }

  // ---- frames ----

  function query(params) {
    return new URLSearchParams(params).toString();
  }

  async function loadItems() {
    if (view.gateway === null) return;
    const wanted = { gateway: view.gateway, camera: view.camera, offset: view.offset };
    let json;
    try {
      json = await api('api/items?' + query(wanted));
    } catch (err) {
      $('frames').replaceChildren(el('p', 'error', 'Cannot load the frames: ' + err.message));
      reportError('frames', err);
      return;
    }
    if (wanted.gateway !== view.gateway || wanted.camera !== view.camera || wanted.offset !== view.offset) return; // stale answer
    view.limit = json.limit;
    const frames = $('frames');
    frames.replaceChildren();
    for (const item of json.items) frames.appendChild(frameCard(item));
    if (json.items.length === 0) frames.appendChild(el('p', null, 'No frames on this page.'));
    $('newer').disabled = view.offset === 0;
    $('older').disabled = json.items.length < json.limit || view.offset + json.items.length >= json.dataset.images;
    const last = view.offset + json.items.length;
    $('page-label').textContent = json.items.length === 0 ? '' : (view.offset + 1) + '–' + last + ' of ' + json.dataset.images;
  }

  function frameCard(item) {
    const fig = el('figure', 'frame verdict-' + item.verdict);
    fig.dataset.id = String(item.id);
    const stage = el('div', 'stage');
    const img = el('img');
    img.width = item.width;
    img.height = item.height;
    img.alt = 'frame ' + item.id;
    img.src = 'api/image?' + query({ gateway: view.gateway, camera: view.camera, id: item.id });
    stage.appendChild(img);
    const svg = svgEl('svg', { viewBox: '0 0 ' + item.width + ' ' + item.height, preserveAspectRatio: 'none' });
    for (const b of item.edge) svg.appendChild(box(b, 'edge', item.height));
    for (const b of item.teacher) svg.appendChild(box(b, 'teacher', item.height));
    stage.appendChild(svg);
    fig.appendChild(stage);

    const cap = el('figcaption');
    cap.appendChild(el('span', 'id', '#' + item.id));
    cap.appendChild(el('span', 'time', new Date(item.timestampMillis).toISOString().replace('T', ' ').replace('Z', ' UTC')));
    cap.appendChild(el('span', 'split', item.split));
    cap.appendChild(el('span', 'counts', item.teacher.length + ' teacher · ' + item.edge.length + ' gateway'));
    const verdict = el('span', 'verdict', item.verdict);
    cap.appendChild(verdict);
    const buttons = el('span', 'buttons');
    const accept = el('button', 'accept', 'Accept');
    const reject = el('button', 'reject', 'Reject');
    accept.type = reject.type = 'button';
    accept.addEventListener('click', () => sendVerdict(fig, verdict, item, 'ACCEPTED', [accept, reject]));
    reject.addEventListener('click', () => sendVerdict(fig, verdict, item, 'REJECTED', [accept, reject]));
    buttons.append(accept, reject);
    cap.appendChild(buttons);
    fig.appendChild(cap);
    return fig;
  }

  function box(b, kind, frameHeight) {
    const g = svgEl('g', { class: kind });
    g.appendChild(svgEl('rect', { class: kind, x: b.x, y: b.y, width: b.width, height: b.height }));
    const above = b.y >= 16;
    const t = svgEl('text', { class: kind, x: b.x + 2, y: above ? b.y - 4 : Math.min(frameHeight - 4, b.y + b.height + 14) });
    t.textContent = b.label + ' ' + Math.round(b.score * 100) + '%';
    g.appendChild(t);
    return g;
  }

  async function sendVerdict(fig, verdictText, item, verdict, buttons) {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const json = await api('api/review', { gateway: view.gateway, camera: view.camera, id: item.id, verdict: verdict });
      item.verdict = json.verdict;
      verdictText.textContent = json.verdict;
      fig.className = 'frame verdict-' + json.verdict;
      replaceDatasetRow(json.dataset);
    } catch (err) {
      reportError('verdict', err);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function replaceDatasetRow(d) {
    for (const tr of $('datasets').tBodies[0].rows) {
      if (tr.dataset.gateway === d.gateway && tr.dataset.camera === d.camera) {
        tr.replaceWith(datasetRow(d));
        return;
      }
    }
  }

  // ---- retraining ----

  function formatEta(ms) {
    if (ms === null || ms < 0) return 'unknown';
    let s = Math.round(ms / 1000);
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (h > 0) return h + ' h ' + m + ' min';
    if (m > 0) return m + ' min ' + s + ' s';
    return s + ' s';
  }

  function formatNumber(v) {
    if (v === null) return '–';
    return Number.isInteger(v) ? String(v) : v.toFixed(4);
  }

  function renderTraining(t) {
    view.training = t;
    $('train-state').textContent = t.state;
    $('train-camera').textContent = t.gateway ? t.gateway + ' / ' + t.camera : '–';
    $('train-epoch').textContent = t.epochs > 0 ? t.epoch + ' / ' + t.epochs : '–';
    $('train-progress').value = t.epochs > 0 ? t.epoch / t.epochs : 0;
    $('train-loss').textContent = t.loss === null ? '–' : t.loss.toFixed(4);
    $('train-eta').textContent = RUNNING.includes(t.state) ? formatEta(t.etaMillis) : '–';
    $('train-model').textContent = t.modelVersion || '–';
    $('train-message').textContent = t.message || '–';
    const body = $('train-metrics').tBodies[0];
    body.replaceChildren();
    for (const [k, v] of Object.entries(t.metrics)) {
      const tr = el('tr');
      tr.dataset.metric = k;
      tr.append(el('th', null, k), el('td', null, formatNumber(v)));
      body.appendChild(tr);
    }
    updateTrainButton();
  }

  async function pollTraining() {
    clearTimeout(trainingTimer);
    let running = false;
    try {
      const t = await api('api/training');
      renderTraining(t);
      running = RUNNING.includes(t.state);
    } catch (err) {
      reportError('retraining', err);
    }
    clearTimeout(trainingTimer);
    trainingTimer = setTimeout(pollTraining, running ? 1000 : 3000);
  }

  function updateTrainButton() {
    const busy = view.training !== null && RUNNING.includes(view.training.state);
    $('train-now').disabled = view.gateway === null || busy;
  }

  async function trainNow() {
    $('train-now').disabled = true;
    try {
      const json = await api('api/train', { gateway: view.gateway, camera: view.camera });
      $('train-result').textContent = json.started ? 'round started' : json.error;
    } catch (err) {
      $('train-result').textContent = err.message;
    }
    pollTraining();
  }

  // ---- wiring ----

  function init() {
    $('show-teacher').addEventListener('change', (e) => $('frames').classList.toggle('hide-teacher', !e.target.checked));
    $('show-edge').addEventListener('change', (e) => $('frames').classList.toggle('hide-edge', !e.target.checked));
    $('newer').addEventListener('click', () => { view.offset = Math.max(0, view.offset - view.limit); loadItems(); });
    $('older').addEventListener('click', () => { view.offset += view.limit; loadItems(); });
    $('train-now').addEventListener('click', trainNow);
    loadDatasets();
    pollTraining();
    setInterval(loadDatasets, 10000);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
