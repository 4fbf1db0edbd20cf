'use strict';
// The live view: polls each camera's view (JSON) and picture (JPEG) at the gateway's refresh rate and
// draws boxes, track ids and zones on a canvas over the picture. Drawing here keeps the gateway's work
// to one JPEG per refresh. Every text from the gateway goes in through textContent, never as HTML.
(function () {
  const cameras = new Map();
  let refreshMs = 500;
  const status = document.getElementById('status');
  const COLORS = { ACTIVE: '#00ff66', STATIONARY: '#ffd400', TENTATIVE: '#8899aa', LOST: '#ff5050', '': '#00ff66' };
  const ZONE_COLOR = '#33aaff';

  async function json(url) {
    const r = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (r.status === 401) {
      location.href = 'login.html';
      throw new Error('log in first');
    }
    if (!r.ok) {
      throw new Error(url + ': ' + r.status);
    }
    return r.json();
  }

  async function listCameras() {
    try {
      const c = await json('api/cameras');
      refreshMs = Math.max(100, c.refreshMs);
      document.getElementById('logout').hidden = !c.login;
      for (const id of c.cameras) {
        if (!cameras.has(id)) {
          addCamera(id);
        }
      }
      status.textContent = c.cameras.length ? c.cameras.length + ' camera(s)' : 'no camera running';
    } catch (e) {
      status.textContent = 'gateway not reachable: ' + e.message;
    }
    setTimeout(listCameras, 10000);
  }

  function addCamera(id) {
    const node = document.getElementById('camera-template').content.firstElementChild.cloneNode(true);
    node.dataset.camera = id;
    node.querySelector('.camera-name').textContent = id;
    document.getElementById('cameras').appendChild(node);
    const cam = { id: id, node: node, canvas: node.querySelector('canvas'), shownSeq: -1, shownEvents: '', drawing: null, last: null };
    cameras.set(id, cam);
    setUpDrawing(cam);
    poll(cam);
  }

  async function poll(cam) {
    const started = Date.now();
    try {
      const v = await json('api/view?camera=' + encodeURIComponent(cam.id));
      showZones(cam, v);
      showEvents(cam, v);
      if (v.sequence !== undefined && v.sequence !== cam.shownSeq) {
        const img = await loadImage('api/frame?camera=' + encodeURIComponent(cam.id) + '&seq=' + v.sequence);
        draw(cam, v, img);
      }
    } catch (e) {
      cam.node.querySelector('.info').textContent = 'no picture: ' + e.message;
    }
    setTimeout(() => poll(cam), Math.max(0, refreshMs - (Date.now() - started)));
  }

  // Drawing a zone: clicks on the picture collect the corners in full-frame pixels (what the tracker's zone
  // configuration takes); the gateway is not changed from here, the points are copied into its configuration.
  function setUpDrawing(cam) {
    const n = cam.node;
    const field = n.querySelector('.zone-points');
    const show = on => { n.querySelector('.draw-help').hidden = !on; field.hidden = !on; n.querySelector('.draw-clear').hidden = !on; };
    n.querySelector('.draw').addEventListener('click', () => {
      cam.drawing = cam.drawing ? null : [];
      show(cam.drawing !== null);
      field.value = '';
      redraw(cam);
    });
    n.querySelector('.draw-clear').addEventListener('click', () => { cam.drawing = []; field.value = ''; redraw(cam); });
    cam.canvas.addEventListener('click', ev => {
      if (!cam.drawing || !cam.last) {
        return;
      }
      const r = cam.canvas.getBoundingClientRect();
      const v = cam.last.v;
      const x = Math.round((ev.clientX - r.left) * v.width / r.width);
      const y = Math.round((ev.clientY - r.top) * v.height / r.height);
      cam.drawing.push(x, y);
      field.value = zoneSetting(cam);
      redraw(cam);
    });
  }

  // the tracker's zones setting: camera:name=x,y;x,y;... (name it before pasting)
  function zoneSetting(cam) {
    const pairs = [];
    for (let i = 0; i + 1 < cam.drawing.length; i += 2) {
      pairs.push(cam.drawing[i] + ',' + cam.drawing[i + 1]);
    }
    return cam.id + ':zone1=' + pairs.join(';');
  }

  function redraw(cam) {
    if (cam.last) {
      draw(cam, cam.last.v, cam.last.img);
    }
  }

  function loadImage(url) {
    return new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('picture not loaded'));
      img.src = url;
    });
  }

  function draw(cam, v, img) {
    const c = cam.canvas;
    if (c.width !== img.naturalWidth || c.height !== img.naturalHeight) {
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
    }
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    // boxes and zones are in full-frame pixels; the picture may be scaled down
    const sx = c.width / v.width;
    const sy = c.height / v.height;
    const font = Math.max(12, Math.round(c.height / 40));
    g.font = 'bold ' + font + 'px sans-serif';
    g.lineWidth = 3;
    const drawnZones = [];
    for (const z of v.zones) {
      const p = z.points;
      if (p.length < 6) {
        continue;
      }
      g.strokeStyle = ZONE_COLOR;
      g.fillStyle = 'rgba(51,170,255,0.15)';
      g.beginPath();
      g.moveTo(Math.round(p[0] * sx), Math.round(p[1] * sy));
      for (let i = 2; i + 1 < p.length; i += 2) {
        g.lineTo(Math.round(p[i] * sx), Math.round(p[i + 1] * sy));
      }
      g.closePath();
      g.fill();
      g.stroke();
      label(g, z.name, Math.round(p[0] * sx), Math.round(p[1] * sy), ZONE_COLOR, font);
      drawnZones.push(z.name);
    }
    const drawnBoxes = [];
    for (const b of v.boxes) {
      const color = COLORS[b.state] || COLORS[''];
      const x = Math.round(b.x * sx), y = Math.round(b.y * sy), w = Math.round(b.w * sx), h = Math.round(b.h * sy);
      g.strokeStyle = color;
      g.strokeRect(x, y, w, h);
      const text = (b.id !== undefined ? '#' + b.id + ' ' : '') + b.label + ' ' + Math.round(b.score * 100) + '%';
      label(g, text, x, y, color, font);
      drawnBoxes.push({ text: text, x: x, y: y, w: w, h: h, color: color });
    }
    if (cam.drawing && cam.drawing.length >= 2) {
      const p = cam.drawing;
      g.strokeStyle = '#ff00ff';
      g.beginPath();
      g.moveTo(Math.round(p[0] * sx), Math.round(p[1] * sy));
      for (let i = 2; i + 1 < p.length; i += 2) {
        g.lineTo(Math.round(p[i] * sx), Math.round(p[i + 1] * sy));
      }
      if (p.length >= 6) {
        g.closePath();
      }
      g.stroke();
    }
    cam.last = { v: v, img: img };
    cam.shownSeq = v.sequence;
    // what was drawn, for people's tools and the browser tests
    c.dataset.sequence = String(v.sequence);
    c.dataset.boxes = JSON.stringify(drawnBoxes);
    c.dataset.zones = JSON.stringify(drawnZones);
    const when = new Date(v.timestamp).toLocaleTimeString();
    cam.node.querySelector('.info').textContent = 'frame ' + v.sequence + ' at ' + when + ', ' + v.boxes.length + ' '
      + (v.source === 'tracks' ? 'tracked objects' : v.source === 'detections' ? 'detections (no tracker)' : 'objects');
  }

  function label(g, text, x, y, color, font) {
    const ty = y > font + 2 ? y - 4 : y + font + 2;
    g.fillStyle = 'rgba(0,0,0,0.6)';
    g.fillRect(x, ty - font, g.measureText(text).width + 4, font + 4);
    g.fillStyle = color;
    g.fillText(text, x + 2, ty);
  }

  function showZones(cam, v) {
    const list = cam.node.querySelector('.zones');
    const counts = v.zoneCounts || {};
    const items = v.zones.map(z => {
      const c = counts[z.name] || {};
      const parts = Object.keys(c).sort().map(k => k + ' ' + c[k]);
      return z.name + ': ' + (parts.length ? parts.join(', ') : 'empty');
    });
    if (items.length === 0) {
      items.push(v.tracker ? 'none configured' : 'tracker not running');
    }
    if (list.dataset.text !== items.join('\n')) {
      list.replaceChildren(...items.map(t => { const li = document.createElement('li'); li.textContent = t; return li; }));
      list.dataset.text = items.join('\n');
    }
  }

  function showEvents(cam, v) {
    const key = v.events.map(e => e.id).join(',');
    if (key === cam.shownEvents) {
      return;
    }
    cam.shownEvents = key;
    const list = cam.node.querySelector('.events');
    list.replaceChildren(...v.events.map(e => {
      const li = document.createElement('li');
      li.className = 'event';
      li.dataset.type = e.type;
      if (e.snapshot) {
        const img = document.createElement('img');
        img.alt = 'snapshot of #' + e.trackId;
        img.src = 'api/snapshot?camera=' + encodeURIComponent(cam.id) + '&event=' + e.id;
        li.appendChild(img);
      }
      const text = document.createElement('span');
      text.textContent = new Date(e.time).toLocaleTimeString() + ' ' + e.type + ' #' + e.trackId + ' ' + e.label
        + (e.zone ? ' in ' + e.zone : '') + (e.duration ? ' (' + (e.duration / 1000).toFixed(1) + ' s)' : '');
      li.appendChild(text);
      return li;
    }));
  }

  listCameras();
})();
