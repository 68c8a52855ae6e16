// The event debugger: polls GET /v1/admin/events with the admin token kept in sessionStorage.
(function () {
  'use strict';
  var TOKEN_KEY = 'datafirst.adminToken';
  var form = document.getElementById('signin');
  var list = document.getElementById('events');
  var open = {};

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function block(title, value) {
    return el('section', {}, [el('h3', { text: title }), el('pre', { text: JSON.stringify(value, null, 2) })]);
  }

  function render(events) {
    list.textContent = '';
    if (events.length === 0) {
      list.appendChild(el('p', { class: 'muted', text: 'No events yet. Open the demo shop in another tab and browse.' }));
      return;
    }
    events.forEach(function (event) {
      var m = event.message;
      var name = m.type === 'track' ? m.event : m.type === 'page' ? 'page' + (m.name ? ': ' + m.name : '') : m.type;
      var badges = event.deliveries.map(function (d) {
        return el('span', { class: 'status ' + d.status, text: d.integration_name + ': ' + d.status });
      });
      if (badges.length === 0) badges = [el('span', { class: 'status skipped', text: m.type === 'identify' ? 'profile updated' : 'no integration' })];
      var summary = el('summary', {}, [
        el('span', { class: 'name', text: name }),
        el('span', { class: 'time', text: m.receivedAt }),
      ].concat(badges));
      var stages = [block('Received message', m)];
      event.deliveries.forEach(function (d) {
        stages.push(el('section', {}, [
          el('h3', { text: d.integration_name + ' — ' + d.status + (d.reason ? ' (' + d.reason + ')' : '') + ', tries: ' + d.attempts }),
          el('pre', { text: JSON.stringify({ sent: d.payload, answer: d.response, next_attempt_at: d.next_attempt_at, history: d.history }, null, 2) }),
        ]));
      });
      var details = el('details', { class: 'event', 'data-event-id': String(event.id) }, [summary, el('div', { class: 'stages' }, stages)]);
      if (open[event.id]) details.open = true;
      details.addEventListener('toggle', function () { open[event.id] = details.open; });
      list.appendChild(details);
    });
  }

  function refresh() {
    if (!token()) return;
    fetch('/v1/admin/events?limit=100', { headers: { Authorization: 'Bearer ' + token() } })
      .then(function (res) {
        if (res.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          showSignIn('That admin token was not accepted.');
          return null;
        }
        return res.json();
      })
      .then(function (body) { if (body) render(body.events); })
      .catch(function () { /* the next refresh tries again */ });
  }

  function showSignIn(error) {
    form.hidden = false;
    document.getElementById('signin-error').textContent = error || '';
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    form.hidden = true;
    refresh();
  });

  if (token()) refresh(); else showSignIn();
  setInterval(refresh, 2000);
})();
