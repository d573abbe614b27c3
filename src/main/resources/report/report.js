/*
 * sweepd report charts. Reads the inlined data (script#sweepd-data), draws two ECharts charts per
 * model and sequence-length group, then marks the page ready (window.sweepdChartsReady and
 * <html data-charts-ready="true">) once every chart has been drawn, so a headless browser can tell a
 * drawn page from one still drawing (or from one whose script failed: data-charts-error says why).
 * Everything from the sweep is text: it goes through esc() before it reaches tooltip HTML.
 * Also: sortable and filterable tables, hardware/framework toggles on the charts, and, when the URL ends in
 * #selftest, a self-test that clicks them and writes what happened into <pre id="sweepd-selftest"> (the browser
 * test reads it from Chromium's DOM dump).
 */
(function () {
  'use strict';
  var root = document.documentElement;
  window.sweepdChartsReady = false;

  function markReady() {
    window.sweepdChartsReady = true;
    root.setAttribute('data-charts-ready', 'true');
  }

  function fail(error) {
    root.setAttribute('data-charts-error', String(error && error.message || error));
    if (window.console) { console.error(error); }
  }

  function esc(text) {
    return String(text == null ? '' : text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // Same rules as the tables: three significant digits or the whole integer part.
  function fmt(v) {
    if (v == null || !isFinite(v)) { return '\u2014'; }
    var a = Math.abs(v);
    if (a >= 100) { return Math.round(v).toLocaleString('en-US'); }
    if (a >= 10) { return v.toFixed(1); }
    if (a >= 1) { return v.toFixed(2); }
    return a === 0 ? '0' : v.toFixed(3);
  }

  var PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777',
    '#4f46e5', '#65a30d', '#0d9488', '#7c2d12'];
  var FRONTIER = 'Pareto frontier';

  function tooltip(params) {
    var p = params.data && params.data.pt;
    if (!p) { return ''; }
    var rows = [
      ['concurrency', String(p.conc)],
      ['shape', p.shape],
      ['hardware', p.hardware],
      ['GPUs', p.gpus],
      ['throughput / GPU', fmt(p.tput) + ' tok/s'],
      ['output tput / GPU', fmt(p.outputTput) + ' tok/s'],
      ['interactivity', fmt(p.intvty) + ' tok/s/user'],
      ['TTFT median', fmt(p.ttft) + ' s'],
      ['E2E median', fmt(p.e2el) + ' s']
    ];
    var head = params.seriesName === FRONTIER
      ? '<div style="color:#6b7280;font-size:11px">on the Pareto frontier</div>' : '';
    var html = head + '<div style="font-weight:600;margin-bottom:4px">' + esc(p.series) + '</div><table>';
    for (var i = 0; i < rows.length; i++) {
      html += '<tr><td style="color:#6b7280;padding-right:12px">' + esc(rows[i][0]) +
        '</td><td style="text-align:right;font-variant-numeric:tabular-nums">' + esc(rows[i][1]) + '</td></tr>';
    }
    return html + '</table>';
  }

  function axis(name, extra) {
    var a = {
      type: 'value', name: name, nameLocation: 'middle', nameGap: 34,
      nameTextStyle: { color: '#374151', fontSize: 13, fontWeight: 600 },
      axisLine: { show: true, lineStyle: { color: '#9ca3af' } },
      axisLabel: { color: '#4b5563' },
      splitLine: { lineStyle: { color: '#eef0f3' } }
    };
    for (var k in extra) { if (Object.prototype.hasOwnProperty.call(extra, k)) { a[k] = extra[k]; } }
    return a;
  }

  // The legend wraps below the plot; leave it room instead of letting it cover the axis.
  function legendRows(group) {
    return Math.ceil((group.series.length + 1) / 2);
  }

  function baseOption(group, xName) {
    return {
      color: PALETTE,
      // A report is a document: draw the final state at once, the same in a browser and a screenshot.
      animation: false,
      textStyle: { fontFamily: '-apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif' },
      grid: { left: 84, right: 30, top: 40, bottom: 60 + 24 * legendRows(group) },
      tooltip: { trigger: 'item', formatter: tooltip, confine: true, borderColor: '#d1d5db',
        extraCssText: 'box-shadow:0 4px 14px rgba(0,0,0,.12);' },
      legend: { type: 'plain', bottom: 0, left: 'center', itemGap: 18, textStyle: { color: '#374151' } },
      toolbox: { right: 4, top: 0, feature: { dataZoom: { title: { zoom: 'zoom', back: 'undo zoom' } },
        restore: { title: 'reset' }, saveAsImage: { title: 'save PNG', pixelRatio: 2 } } },
      xAxis: axis(xName, { nameGap: 30 }),
      yAxis: axis('Throughput per GPU (tok/s/GPU)', { nameGap: 58 })
    };
  }

  // An axis from 0 squeezes points that all lie far from it into a band: fit it to the data instead, and say so.
  function fitted(values) {
    var v = values.filter(function (n) { return n != null && isFinite(n); });
    if (v.length < 2) { return false; }
    var min = Math.min.apply(null, v);
    var max = Math.max.apply(null, v);
    return min > 0 && min > 0.25 * max;
  }

  function fitAxes(option, group, x) {
    var xs = [];
    var ys = [];
    group.series.forEach(function (s) {
      s.points.forEach(function (p) { if (p[x] != null && p.tput != null) { xs.push(p[x]); ys.push(p.tput); } });
    });
    [[option.xAxis, xs], [option.yAxis, ys]].forEach(function (pair) {
      if (fitted(pair[1])) {
        pair[0].scale = true;
        pair[0].name += ' \u2014 axis not from 0';
      }
    });
    return option;
  }

  function configSeries(group, x) {
    return group.series.map(function (s) {
      var pts = s.points.filter(function (p) { return p[x] != null && p.tput != null; })
        .slice().sort(function (a, b) { return a.conc - b.conc; });
      return {
        name: s.label, type: 'line', symbol: 'circle', symbolSize: 8, smooth: false,
        lineStyle: { width: 2 }, emphasis: { focus: 'series' },
        label: { show: true, position: 'top', fontSize: 10, color: '#6b7280',
          formatter: function (pr) { return 'c' + pr.data.pt.conc; } },
        labelLayout: { hideOverlap: true },
        data: pts.map(function (p) { return { value: [p[x], p.tput], pt: p }; })
      };
    });
  }

  function intvtyOption(group) {
    var option = baseOption(group, 'Interactivity, median (tok/s/user = 1000 / TPOT ms)');
    var series = configSeries(group, 'intvty');
    series.push({
      name: FRONTIER, type: 'line', z: 10, symbol: 'circle', symbolSize: 17, smooth: false,
      lineStyle: { type: 'dashed', width: 2, color: '#111827' },
      itemStyle: { color: 'rgba(255,255,255,0)', borderColor: '#111827', borderWidth: 2 },
      label: { show: false }, emphasis: { scale: 1.2 },
      data: group.frontier.map(function (p) { return { value: [p.intvty, p.tput], pt: p }; })
    });
    option.series = series;
    option.legend.data = group.series.map(function (s) { return s.label; }).concat([FRONTIER]);
    return fitAxes(option, group, 'intvty');
  }

  function e2elOption(group) {
    var option = baseOption(group, 'End-to-end latency, median (s)');
    option.series = configSeries(group, 'e2el');
    return fitAxes(option, group, 'e2el');
  }

  function draw() {
    var data = JSON.parse(document.getElementById('sweepd-data').textContent);
    var jobs = [];
    data.groups.forEach(function (group) {
      jobs.push([group.intvtyChart, intvtyOption(group), legendRows(group), group]);
      jobs.push([group.e2elChart, e2elOption(group), legendRows(group), group]);
    });
    if (jobs.length === 0) { markReady(); return; }
    if (typeof echarts === 'undefined') { throw new Error('ECharts did not load'); }
    // Size every container first, so no chart moves after it was measured.
    var elements = jobs.map(function (job) {
      var el = document.getElementById(job[0]);
      if (!el) { throw new Error('no chart container #' + job[0]); }
      el.style.height = (450 + 24 * job[2]) + 'px';
      return el;
    });
    var charts = jobs.map(function (job, i) {
      var chart = echarts.init(elements[i], null, { renderer: 'canvas' });
      // Without animation (see baseOption) setOption lays out and paints synchronously: when it returns, the
      // chart is on the canvas. ECharts' 'finished' event would need animation frames, which a headless
      // browser does not always run.
      chart.setOption(job[1]);
      var g = job[3].index;
      (window.sweepdCharts[g] = window.sweepdCharts[g] || []).push(chart);
      return chart;
    });
    data.groups.forEach(wireToggles);
    elements.forEach(function (el) {
      // Where the chart sits on the page, so a headless check can look at exactly those pixels.
      var r = el.getBoundingClientRect();
      el.setAttribute('data-rect', [Math.round(r.left + window.scrollX), Math.round(r.top + window.scrollY),
        Math.round(r.width), Math.round(r.height)].join(','));
      el.setAttribute('data-rendered', 'true');
    });
    markReady();
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }

  // Hardware and framework checkboxes: a series shows while both its hardware and its framework are ticked.
  function wireToggles(group) {
    var box = document.querySelector('.toggles[data-group="' + group.index + '"]');
    if (!box) { return; }
    box.hidden = false;
    box.addEventListener('change', function () {
      var off = {};
      box.querySelectorAll('input[type=checkbox]').forEach(function (c) {
        if (!c.checked) { off[c.getAttribute('data-kind') + '\u0000' + c.value] = true; }
      });
      group.series.forEach(function (s) {
        var show = !off['hardware\u0000' + s.hardware] && !off['framework\u0000' + s.framework];
        (window.sweepdCharts[group.index] || []).forEach(function (chart) {
          chart.dispatchAction({ type: show ? 'legendSelect' : 'legendUnSelect', name: s.label });
        });
      });
    });
  }

  window.sweepdCharts = {};
  try {
    draw();
  } catch (e) {
    fail(e);
  }
}());

/* Tables: click a header to sort (numbers as numbers, unknowns last), type in a section's box to filter its rows. */
(function () {
  'use strict';

  function cellKey(row, column) {
    var cell = row.cells[column];
    if (!cell) { return ''; }
    var key = cell.getAttribute('data-sort');
    return key != null ? key : cell.textContent.trim();
  }

  function numberOf(text) {
    var n = parseFloat(String(text).replace(/[,\s]/g, ''));
    return isFinite(n) ? n : null;
  }

  function sortBy(table, th) {
    var column = th.cellIndex;
    var numeric = th.classList.contains('num') || table.tBodies[0] &&
      Array.prototype.some.call(table.tBodies[0].rows, function (r) {
        return r.cells[column] && r.cells[column].hasAttribute('data-sort');
      });
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) {
      var raw = cellKey(row, column);
      return { row: row, i: i, key: numeric ? numberOf(raw) : raw.toLowerCase() };
    });
    keyed.sort(function (a, b) {
      // Unknown values (the dash) go last whichever way the column is sorted.
      if (a.key === null || a.key === '\u2014') { return b.key === null || b.key === '\u2014' ? a.i - b.i : 1; }
      if (b.key === null || b.key === '\u2014') { return -1; }
      var c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return (ascending ? c : -c) || a.i - b.i;
    });
    keyed.forEach(function (k) {
      k.row.classList.remove('first'); // the configuration rules mean nothing in another order
      body.appendChild(k.row);
    });
  }

  function filter(input) {
    var section = document.getElementById(input.getAttribute('data-section'));
    var query = input.value.trim().toLowerCase();
    var shown = 0;
    var total = 0;
    section.querySelectorAll('table tbody tr').forEach(function (row) {
      var show = query === '' || row.textContent.toLowerCase().indexOf(query) >= 0;
      row.hidden = !show;
      total++;
      if (show) { shown++; }
    });
    var count = input.parentNode.querySelector('.filter-count');
    if (count) { count.textContent = query === '' ? '' : shown + ' of ' + total + ' rows'; }
  }

  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th) {
      th.title = 'Sort by this column';
      th.addEventListener('click', function () { sortBy(table, th); });
    });
  });
  document.querySelectorAll('input.table-filter').forEach(function (input) {
    input.parentNode.hidden = false;
    input.addEventListener('input', function () { filter(input); });
  });
}());

/*
 * Over HTTP (the status server's /reports/RUN/report.html) the relative links into the job directories lead
 * nowhere the server answers: each job link carries the server's URL of the same file, used instead.
 */
(function () {
  'use strict';
  if (window.location.protocol !== 'http:' && window.location.protocol !== 'https:') { return; }
  document.querySelectorAll('a[data-served]').forEach(function (a) {
    a.setAttribute('href', a.getAttribute('data-served'));
  });
}());

/*
 * #selftest: click what a person would click and write down what the page did, for a headless browser that can
 * load a page and dump its DOM but not click. The test judges the result; this only records it.
 */
(function () {
  'use strict';
  if (window.location.hash !== '#selftest') { return; }
  var result = {};
  function column(table, i) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[i].textContent.trim(); });
  }
  try {
    var table = document.querySelector('table.points');
    if (table) {
      var th = table.tHead.rows[0].cells[2];
      result.sortColumn = th.textContent.trim();
      result.beforeSort = column(table, 2);
      th.click();
      result.afterSort = column(table, 2);
      result.sortState = th.getAttribute('aria-sort');
    }
    var input = document.querySelector('input.table-filter[data-section="results"]');
    if (input && table) {
      var rows = table.tBodies[0].rows;
      input.value = rows[rows.length - 1].cells[0].textContent.trim();
      input.dispatchEvent(new Event('input'));
      result.filter = input.value;
      result.filterRows = Array.prototype.map.call(document.querySelectorAll('#results table tbody tr'),
        function (r) { return { hidden: r.hidden, config: r.cells[0].textContent.trim() }; });
    }
    var box = document.querySelector('.toggles[data-group="1"]');
    var charts = window.sweepdCharts && window.sweepdCharts[1];
    if (box && charts) {
      var check = box.querySelector('input[data-kind="hardware"]');
      check.checked = false;
      check.dispatchEvent(new Event('change', { bubbles: true }));
      result.toggledOff = check.value;
      result.legendSelected = charts.map(function (c) { return c.getOption().legend[0].selected; });
      result.xAxisNames = charts.map(function (c) { return c.getOption().xAxis[0].name; });
      result.yAxisNames = charts.map(function (c) { return c.getOption().yAxis[0].name; });
    }
    result.timelineBars = document.querySelectorAll('svg.timeline g.tl-job').length;
  } catch (e) {
    result.error = String(e && e.message || e);
  }
  var pre = document.createElement('pre');
  pre.id = 'sweepd-selftest';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
}());
