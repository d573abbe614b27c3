// sweepd status page: every few seconds, fetch the JSON API named by <body data-api> and rebuild <main> with the
// same markup StatusPage.java renders. Values go into text nodes and attributes only, never into HTML strings.
(function () {
  'use strict';
  var root = document.documentElement;
  var api = document.body.getAttribute('data-api');
  var every = parseInt(document.body.getAttribute('data-refresh-ms'), 10) || 5000;
  var asOf = document.getElementById('updated').textContent;

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) { node.setAttribute(name, attrs[name]); }
    });
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid === null || kid === undefined) { continue; }
      node.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }

  function orDash(text) { return text === null || text === undefined || String(text).trim() === '' ? '-' : text; }

  function two(n) { return (n < 10 ? '0' : '') + n; }

  function elapsed(seconds) {
    if (seconds === null || seconds === undefined) { return '-'; }
    var s = Math.max(0, seconds);
    if (s < 60) { return s + 's'; }
    if (s < 3600) { return Math.floor(s / 60) + 'm ' + two(s % 60) + 's'; }
    return Math.floor(s / 3600) + 'h ' + two(Math.floor((s % 3600) / 60)) + 'm';
  }

  function runCard(run, linkToRun) {
    var percent = Math.floor(run.progress * 100);
    var title = linkToRun ? el('a', {href: run.page}, run["run-id"]) : run["run-id"];
    var bar = el('div', {'class': 'bar' + (run.jobs === run["ended-jobs"] ? ' done' : ''), role: 'progressbar',
      'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent),
      'data-progress': String(percent)}, el('span'));
    bar.firstChild.style.width = percent + '%';
    var summary = el('p', {'class': 'summary'}, run["ended-jobs"] + ' of ' + run.jobs + ' jobs ended (' + percent
      + '%) \u00b7 ' + run.points + ' points, ' + run["refused-points"] + ' refused');
    if (run.report) {
      summary.appendChild(document.createTextNode(' \u00b7 '));
      summary.appendChild(el('a', {'class': 'report', href: run.report}, 'report'));
    }
    var counts = el('ul', {'class': 'counts'});
    Object.keys(run["jobs-by-state"]).forEach(function (state) {
      counts.appendChild(el('li', {'class': 'state-' + state, 'data-state': state}, state + ' ',
        el('b', {}, run["jobs-by-state"][state])));
    });
    return el('article', {'class': 'run', 'data-run': run["run-id"]},
      el('h2', {}, title, ' ', el('span', {'class': 'run-state ' + run.state}, run.state)), bar, summary, counts);
  }

  function jobsTable(jobs) {
    var head = el('tr', {});
    ['job', 'Slurm id', 'state', 'phase', 'reason', 'elapsed', 'attempt', 'points', 'files'].forEach(function (h) {
      head.appendChild(el('th', {}, h));
    });
    var body = el('tbody', {});
    jobs.forEach(function (job) {
      var files = el('td', {});
      if (job.archive) { files.appendChild(el('a', {'class': 'archive', href: job.archive}, 'failure.tar.gz')); files.appendChild(document.createTextNode(' ')); }
      if (job.triage) { files.appendChild(el('a', {'class': 'triage', href: job.triage}, 'triage.json')); }
      body.appendChild(el('tr', {'data-job': job["job-key"]},
        el('td', {}, el('code', {}, job["job-key"])), el('td', {}, orDash(job["slurm-job-id"])),
        el('td', {'class': 'state-' + job.state}, job.state), el('td', {'class': 'phase'}, job["phase-label"]),
        el('td', {'class': 'reason'}, orDash(job.reason)), el('td', {'class': 'num'}, elapsed(job["elapsed-seconds"])),
        el('td', {'class': 'num'}, job.attempt), el('td', {}, job.points.length), files));
    });
    return el('table', {'class': 'jobs'}, el('thead', {}, head), body);
  }

  function refusedTable(points) {
    var refused = points.filter(function (p) { return p.state === 'REFUSED'; });
    if (refused.length === 0) { return null; }
    var body = el('tbody', {});
    refused.forEach(function (p) {
      body.appendChild(el('tr', {}, el('td', {}, el('code', {}, p.point)), el('td', {'class': 'reason'}, orDash(p.reason))));
    });
    return el('table', {'class': 'refused'}, el('thead', {}, el('tr', {}, el('th', {}, 'refused point'),
      el('th', {}, 'reason'))), body);
  }

  function render(data) {
    var main = document.getElementById('content');
    var fresh = el('main', {id: 'content'});
    if (data.runs) {
      if (data.runs.length === 0) {
        fresh.appendChild(el('p', {'class': 'empty'}, 'No runs yet: drop a sweep into the inbox or run sweepd submit.'));
      }
      data.runs.forEach(function (run) { fresh.appendChild(runCard(run, true)); });
    } else {
      fresh.appendChild(runCard(data.run, false));
      fresh.appendChild(jobsTable(data.jobs));
      var refused = refusedTable(data.points);
      if (refused) { fresh.appendChild(refused); }
    }
    main.parentNode.replaceChild(fresh, main);
  }

  function refresh() {
    fetch(api, {cache: 'no-store', headers: {Accept: 'application/json'}})
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (data) {
        render(data);
        root.removeAttribute('data-refresh-error');
        root.setAttribute('data-refreshes', String(parseInt(root.getAttribute('data-refreshes'), 10) + 1));
        asOf = 'as of ' + new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
        document.getElementById('updated').textContent = asOf;
      })
      .catch(function (error) {
        // Keep what the page shows; say that it is stale.
        root.setAttribute('data-refresh-error', String(error));
        document.getElementById('updated').textContent = asOf + ' (refresh failed: ' + error + ')';
      })
      .then(function () { setTimeout(refresh, every); });
  }

  setTimeout(refresh, every);
}());
