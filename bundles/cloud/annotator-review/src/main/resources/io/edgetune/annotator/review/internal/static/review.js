'use strict';
// The review page. Every piece of data (gateway and camera ids, labels, messages)
// reaches the DOM through textContent or attribute values, never as markup.
(function () {
  const RUNNING = ['EXTRACTING', 'TRAINING', 'EVALUATING', 'DELIVERING'];
  const SVG = 'http://www.w3.org/2000/svg';
  const view = { gateway: null, camera: null, offset: 0, limit: 0, training: null, classes: [] };
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
    view.classes = json.classes || [];
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
    for (const b of item.human) svg.appendChild(box(b, 'human', item.height));
    stage.appendChild(svg);
    fig.appendChild(stage);

    const cap = el('figcaption');
    cap.appendChild(el('span', 'id', '#' + item.id));
    cap.appendChild(el('span', 'time', new Date(item.timestampMillis).toISOString().replace('T', ' ').replace('Z', ' UTC')));
    cap.appendChild(el('span', 'split', item.split));
    cap.appendChild(el('span', 'counts', item.teacher.length + ' teacher · ' + item.edge.length + ' gateway'));
    if (item.revision > 0) {
      const rv = el('span', 'reviewed', 'reviewed: ' + item.human.length + ' boxes (rev. ' + item.revision + ')');
      rv.title = 'a person\'s boxes: they replace the teacher\'s in training and evaluation';
      cap.appendChild(rv);
    }
    const verdict = el('span', 'verdict', item.verdict);
    cap.appendChild(verdict);
    const buttons = el('span', 'buttons');
    const accept = el('button', 'accept', 'Accept');
    const reject = el('button', 'reject', 'Reject');
    accept.type = reject.type = 'button';
    accept.addEventListener('click', () => sendVerdict(fig, verdict, item, 'ACCEPTED', [accept, reject]));
    reject.addEventListener('click', () => sendVerdict(fig, verdict, item, 'REJECTED', [accept, reject]));
    const edit = el('button', 'edit', 'Edit boxes');
    edit.type = 'button';
    edit.addEventListener('click', () => openEditor(item));
    buttons.append(edit, accept, reject);
    cap.appendChild(buttons);
    fig.appendChild(cap);
    return fig;
  }

  function box(b, kind, frameHeight) {
    const g = svgEl('g', { class: kind });
    g.appendChild(svgEl('rect', { class: kind, x: b.x, y: b.y, width: b.width, height: b.height }));
    const above = b.y >= 16;
    const t = svgEl('text', { class: kind, x: b.x + 2, y: above ? b.y - 4 : Math.min(frameHeight - 4, b.y + b.height + 14) });
    t.textContent = kind === 'human' ? b.label : b.label + ' ' + Math.round(b.score * 100) + '%';
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

  // ---- box editor ----
  // Edits stay in the page until "Save as reviewed", which stores them with the revision they were made on;
  // the annotator refuses a save on a stale revision (someone else saved in between) with 409.

  const ed = { item: null, boxes: [], selected: -1, undo: [], revision: 0, dirty: false, drag: null, svg: null, saving: false };
  const MIN_SIDE = 2;

  function copyBoxes(list) {
    return list.map((b) => ({ label: b.label, x: b.x, y: b.y, width: b.width, height: b.height }));
  }

  function openEditor(item) {
    ed.item = item;
    ed.revision = item.revision;
    ed.boxes = copyBoxes(item.revision > 0 ? item.human : item.teacher);
    ed.selected = -1;
    ed.undo = [];
    ed.dirty = false;
    ed.drag = null;
    $('editor-title').textContent = 'Edit boxes of frame #' + item.id + ' (' + view.gateway + ' / ' + view.camera + ')';
    const picker = $('editor-class');
    picker.replaceChildren();
    for (const c of view.classes) {
      const o = el('option', null, c);
      o.value = c;
      picker.appendChild(o);
    }
    if (view.classes.includes('Person')) picker.value = 'Person';
    const stage = $('editor-stage');
    stage.replaceChildren();
    const img = el('img');
    img.width = item.width;
    img.height = item.height;
    img.alt = 'frame ' + item.id;
    img.draggable = false;
    img.src = 'api/image?' + query({ gateway: view.gateway, camera: view.camera, id: item.id });
    stage.appendChild(img);
    ed.svg = svgEl('svg', { viewBox: '0 0 ' + item.width + ' ' + item.height, preserveAspectRatio: 'none', id: 'editor-svg' });
    ed.svg.addEventListener('mousedown', startDrag);
    stage.appendChild(ed.svg);
    editorMessage('', false);
    $('editor').hidden = false;
    renderEditor();
  }

  function closeEditor() {
    if (ed.dirty && !window.confirm('Discard the unsaved box edits of this frame?')) return;
    ed.item = null;
    $('editor').hidden = true;
  }

  function editorMessage(text, ok) {
    const m = $('editor-message');
    m.textContent = text;
    m.classList.toggle('ok', !!ok);
  }

  function renderEditor() {
    const svg = ed.svg;
    svg.replaceChildren();
    const hs = Math.max(6, ed.item.width / 90);
    let top = null;
    ed.boxes.forEach((b, i) => {
      const g = svgEl('g', { class: i === ed.selected ? 'ebox selected' : 'ebox' });
      g.dataset.index = String(i);
      const r = svgEl('rect', { class: 'ebox', x: b.x, y: b.y, width: b.width, height: b.height });
      r.dataset.index = String(i);
      r.dataset.label = b.label;
      g.appendChild(r);
      const t = svgEl('text', { x: b.x + 2, y: b.y >= 16 ? b.y - 4 : Math.min(ed.item.height - 4, b.y + b.height + 14) });
      t.textContent = b.label;
      g.appendChild(t);
      if (i === ed.selected) {
        for (const [corner, cx, cy] of [['nw', b.x, b.y], ['ne', b.x + b.width, b.y], ['sw', b.x, b.y + b.height],
          ['se', b.x + b.width, b.y + b.height]]) {
          const h = svgEl('rect', { class: 'handle ' + corner, x: cx - hs / 2, y: cy - hs / 2, width: hs, height: hs });
          h.dataset.index = String(i);
          h.dataset.corner = corner;
          g.appendChild(h);
        }
        top = g;
      }
      svg.appendChild(g);
    });
    // the selected box above the others, so that its handles can always be grabbed
    if (top !== null) svg.appendChild(top);
    const state = $('editor-state');
    state.textContent = ed.boxes.length + ' boxes · ' + (ed.revision > 0 ? 'reviewed, revision ' + ed.revision : 'teacher\'s labels, not reviewed')
      + (ed.dirty ? ' · unsaved changes' : '');
    state.classList.toggle('dirty', ed.dirty);
    $('editor-delete').disabled = ed.selected < 0;
    $('editor-undo').disabled = ed.undo.length === 0;
    if (ed.selected >= 0) $('editor-class').value = ed.boxes[ed.selected].label;
  }

  /** Remembers the boxes before a change, for Ctrl+Z. */
  function remember() {
    ed.undo.push({ boxes: copyBoxes(ed.boxes), selected: ed.selected });
    if (ed.undo.length > 200) ed.undo.shift();
    ed.dirty = true;
  }

  function undo() {
    const last = ed.undo.pop();
    if (!last) return;
    ed.boxes = last.boxes;
    ed.selected = Math.min(last.selected, ed.boxes.length - 1);
    ed.dirty = true;
    renderEditor();
  }

  function clamp(v, lo, hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  function tenth(v) {
    return Math.round(v * 10) / 10;
  }

  /** Mouse position in frame pixels, clamped to the frame. */
  function framePoint(ev) {
    const r = ed.svg.getBoundingClientRect();
    return {
      x: clamp((ev.clientX - r.left) * ed.item.width / r.width, 0, ed.item.width),
      y: clamp((ev.clientY - r.top) * ed.item.height / r.height, 0, ed.item.height),
    };
  }

  function startDrag(ev) {
    if (ev.button !== 0) return;
    ev.preventDefault();
    const p = framePoint(ev);
    const target = ev.target;
    const index = target.dataset && target.dataset.index !== undefined ? Number(target.dataset.index) : -1;
    if (index >= 0 && target.dataset.corner) {
      const b = ed.boxes[index];
      // the corner opposite the handle stays where it is
      const fx = target.dataset.corner.includes('w') ? b.x + b.width : b.x;
      const fy = target.dataset.corner.includes('n') ? b.y + b.height : b.y;
      ed.drag = { kind: 'resize', index, fx, fy, before: copyBoxes(ed.boxes), moved: false };
    } else if (index >= 0) {
      ed.selected = index;
      const b = ed.boxes[index];
      ed.drag = { kind: 'move', index, dx: p.x - b.x, dy: p.y - b.y, before: copyBoxes(ed.boxes), moved: false };
    } else {
      ed.drag = { kind: 'draw', index: -1, fx: p.x, fy: p.y, before: copyBoxes(ed.boxes), moved: false, selectedBefore: ed.selected };
    }
    renderEditor();
  }

  function onDrag(ev) {
    const d = ed.drag;
    if (!d) return;
    const p = framePoint(ev);
    if (d.kind === 'move') {
      const b = ed.boxes[d.index];
      b.x = tenth(clamp(p.x - d.dx, 0, ed.item.width - b.width));
      b.y = tenth(clamp(p.y - d.dy, 0, ed.item.height - b.height));
    } else {
      if (d.kind === 'draw' && d.index < 0) {
        if (Math.abs(p.x - d.fx) < MIN_SIDE && Math.abs(p.y - d.fy) < MIN_SIDE) return;
        ed.boxes.push({ label: $('editor-class').value || view.classes[0], x: d.fx, y: d.fy, width: 0, height: 0 });
        d.index = ed.boxes.length - 1;
        ed.selected = d.index;
      }
      const b = ed.boxes[d.index];
      b.x = tenth(Math.min(p.x, d.fx));
      b.y = tenth(Math.min(p.y, d.fy));
      b.width = tenth(Math.abs(p.x - d.fx));
      b.height = tenth(Math.abs(p.y - d.fy));
    }
    d.moved = true;
    renderEditor();
  }

  function endDrag() {
    const d = ed.drag;
    if (!d) return;
    ed.drag = null;
    if (d.kind === 'draw' && d.index < 0) {
      // a click on the empty area: deselect
      ed.selected = -1;
    } else if (d.moved) {
      const b = ed.boxes[d.index];
      if (b.width < MIN_SIDE || b.height < MIN_SIDE) {
        ed.boxes.splice(d.index, 1);
        ed.selected = -1;
        if (d.kind === 'draw') {
          renderEditor();
          return;
        }
      }
      ed.undo.push({ boxes: d.before, selected: d.selectedBefore !== undefined ? d.selectedBefore : d.index });
      ed.dirty = true;
    }
    renderEditor();
  }

  function deleteSelected() {
    if (ed.selected < 0) return;
    remember();
    ed.boxes.splice(ed.selected, 1);
    ed.selected = -1;
    renderEditor();
  }

  function relabelSelected(label) {
    if (ed.selected < 0 || !view.classes.includes(label) || ed.boxes[ed.selected].label === label) return;
    remember();
    ed.boxes[ed.selected].label = label;
    renderEditor();
  }

  function nudge(dx, dy) {
    if (ed.selected < 0) return;
    remember();
    const b = ed.boxes[ed.selected];
    b.x = tenth(clamp(b.x + dx, 0, ed.item.width - b.width));
    b.y = tenth(clamp(b.y + dy, 0, ed.item.height - b.height));
    renderEditor();
  }

  function teacherBoxes() {
    remember();
    ed.boxes = copyBoxes(ed.item.teacher);
    ed.selected = -1;
    renderEditor();
  }

  async function saveBoxes() {
    if (ed.saving || !ed.item) return;
    ed.saving = true;
    $('editor-save').disabled = true;
    try {
      const json = await api('api/boxes', { gateway: view.gateway, camera: view.camera, id: ed.item.id, revision: ed.revision, boxes: ed.boxes });
      if (json && json.error) {
        // 409: someone else saved this frame since it was loaded
        editorMessage(json.error, false);
        return;
      }
      ed.revision = json.revision;
      ed.dirty = false;
      ed.item.revision = json.revision;
      ed.item.human = copyBoxes(ed.boxes);
      editorMessage('saved: ' + json.boxes + ' boxes, revision ' + json.revision, true);
      replaceDatasetRow(json.dataset);
      renderEditor();
      loadItems();
    } catch (err) {
      editorMessage(err.message, false);
    } finally {
      ed.saving = false;
      $('editor-save').disabled = false;
    }
  }

  function editorKey(ev) {
    if ($('editor').hidden || !ed.item) return;
    const inPicker = ev.target === $('editor-class');
    const key = ev.key;
    if ((ev.ctrlKey || ev.metaKey) && (key === 'z' || key === 'Z')) {
      ev.preventDefault();
      undo();
    } else if ((ev.ctrlKey || ev.metaKey) && (key === 's' || key === 'S')) {
      ev.preventDefault();
      saveBoxes();
    } else if (ev.ctrlKey || ev.metaKey || ev.altKey || inPicker) {
      // leave the other combinations and the picker's own keys alone
    } else if (key === 'Delete' || key === 'Backspace') {
      ev.preventDefault();
      deleteSelected();
    } else if (key === 'Escape') {
      if (ed.selected >= 0) {
        ed.selected = -1;
        renderEditor();
      } else {
        closeEditor();
      }
    } else if (key === 'Tab') {
      ev.preventDefault();
      if (ed.boxes.length > 0) {
        ed.selected = ev.shiftKey ? (ed.selected <= 0 ? ed.boxes.length - 1 : ed.selected - 1) : (ed.selected + 1) % ed.boxes.length;
        renderEditor();
      }
    } else if (/^[1-9]$/.test(key)) {
      const label = view.classes[Number(key) - 1];
      if (label !== undefined) {
        $('editor-class').value = label;
        relabelSelected(label);
      }
    } else if (key.startsWith('Arrow')) {
      ev.preventDefault();
      const step = ev.shiftKey ? 10 : 1;
      nudge(key === 'ArrowLeft' ? -step : key === 'ArrowRight' ? step : 0, key === 'ArrowUp' ? -step : key === 'ArrowDown' ? step : 0);
    } else if (key === 'r' || key === 'R') {
      saveBoxes();
    } else if (key === 't' || key === 'T') {
      teacherBoxes();
    }
  }

  function initEditor() {
    window.addEventListener('mousemove', onDrag);
    window.addEventListener('mouseup', endDrag);
    document.addEventListener('keydown', editorKey);
    $('editor-class').addEventListener('change', (e) => {
      relabelSelected(e.target.value);
      e.target.blur(); // so that the shortcuts work again at once
    });
    $('editor-undo').addEventListener('click', undo);
    $('editor-delete').addEventListener('click', deleteSelected);
    $('editor-teacher').addEventListener('click', teacherBoxes);
    $('editor-save').addEventListener('click', saveBoxes);
    $('editor-close').addEventListener('click', closeEditor);
    window.addEventListener('beforeunload', (e) => {
      if (ed.item && ed.dirty) e.preventDefault();
    });
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
    $('show-human').addEventListener('change', (e) => $('frames').classList.toggle('hide-human', !e.target.checked));
    initEditor();
    $('newer').addEventListener('click', () => { view.offset = Math.max(0, view.offset - view.limit); loadItems(); });
    $('older').addEventListener('click', () => { view.offset += view.limit; loadItems(); });
    $('train-now').addEventListener('click', trainNow);
    loadDatasets();
    pollTraining();
    setInterval(loadDatasets, 10000);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
