// A tiny client of the engine's API for the pages: the token lives in the tab's session storage and travels as a
// bearer header (never a cookie), errors come back in the contract's shape.
'use strict';
// The application's root, wherever it is deployed ("/" with the launcher, "/loyalty/" in a shared server).
const ROOT = new URL('../', document.currentScript.src).pathname;
const Api = {
  token() { return sessionStorage.getItem('loyalty.token'); },
  signedIn() { return !!Api.token(); },
  // Called when the engine answers 401 to a signed-in page (the session expired): the page shows its sign-in form.
  onSignedOut: null,
  async call(method, path, body, contentType, extraHeaders) {
    return (await Api.exchange(method, path, body, contentType, extraHeaders)).json;
  },
  // As call(), with the answer's status as well: {status, json} (a 200 that answers a request made before, say).
  async exchange(method, path, body, contentType, extraHeaders) {
    const headers = Object.assign({ 'Accept': 'application/json' }, extraHeaders || {});
    if (Api.token()) headers['Authorization'] = 'Bearer ' + Api.token();
    if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
    const payload = body === undefined ? undefined : contentType ? body : JSON.stringify(body);
    const response = await fetch(ROOT + 'api/v1/' + path, { method, headers, body: payload });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
    // A 401 of a sign-in, a sign-up or a password reset is about what was typed, not about the tab's session.
    const ended = response.status === 401 && (!path.startsWith('auth/') || path === 'auth/logout') && Api.signedIn();
    if (ended) { Api.signOut(); if (Api.onSignedOut) Api.onSignedOut(); }
    if (!response.ok) { const error = new Error((json && json.message) || ('HTTP ' + response.status)); error.status = response.status; error.body = json; error.sessionEnded = ended; throw error; }
    return { status: response.status, json };
  },
  async blob(path) {
    const response = await fetch(ROOT + 'api/v1/' + path, { headers: { 'Authorization': 'Bearer ' + Api.token() } });
    const ended = response.status === 401 && Api.signedIn();
    if (ended) { Api.signOut(); if (Api.onSignedOut) Api.onSignedOut(); }
    if (!response.ok) {
      // The refusal is in the contract's shape, as for call(): its message says why (a card replaced, blocked).
      const text = await response.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
      const error = new Error((json && json.message) || ('HTTP ' + response.status)); error.status = response.status; error.body = json; error.sessionEnded = ended; throw error;
    }
    return URL.createObjectURL(await response.blob());
  },
  async signIn(email, password) {
    const session = await Api.call('POST', 'auth/login', { email, password });
    Api.keep(session);
    return session;
  },
  // Keeps the token of a new session (a sign-in, a changed password): the tab's calls carry it from now on.
  keep(session) {
    sessionStorage.setItem('loyalty.token', session.token);
    if (session.role) sessionStorage.setItem('loyalty.role', session.role);
  },
  // Forgets the session in this tab only: the engine still accepts its token until it expires (see logOut).
  signOut() { sessionStorage.removeItem('loyalty.token'); sessionStorage.removeItem('loyalty.role'); },
  // Logs out: the engine ends the session (no instance accepts its token any more) and the tab forgets it, whatever
  // the answer. True when the engine ended it (or it had ended already), false when the engine could not be reached.
  async logOut() {
    const token = Api.token();
    Api.signOut();
    if (!token) return true;
    try {
      const response = await fetch(ROOT + 'api/v1/auth/logout', { method: 'POST', headers: { 'Accept': 'application/json', 'Authorization': 'Bearer ' + token } });
      return response.ok || response.status === 401;
    } catch (e) { return false; }
  },
  role() { return sessionStorage.getItem('loyalty.role'); }
};
function $(selector, root) { return (root || document).querySelector(selector); }
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => { if (k === 'class') node.className = v; else if (k.startsWith('on')) node.addEventListener(k.substring(2), v); else node.setAttribute(k, v); });
  children.flat().forEach(child => node.append(child instanceof Node ? child : document.createTextNode(child == null ? '' : String(child))));
  return node;
}
function show(target, text, kind) { const box = $(target); box.textContent = text; box.className = 'message ' + (kind || 'ok'); }
/** A message beside the form or the card it is about, where the eye is (the top box is off-screen on a phone). */
function say(target, text, kind) { show(target, text, kind); $(target).scrollIntoView({ block: 'nearest' }); }
function clearBox(target) { const box = $(target); box.textContent = ''; box.className = ''; }
function clearMessage() { const box = $('#message'); if (box) { box.textContent = ''; box.className = ''; } }
// A new action (a button pressed, a form sent) starts with no message left from the one before.
document.addEventListener('click', event => { if (event.target.closest && event.target.closest('button')) clearMessage(); }, true);
document.addEventListener('submit', clearMessage, true);
/** Runs an action with its button disabled until it ends, so a double click sends it once. */
async function once(button, action) {
  if (button.disabled) return;
  button.disabled = true;
  try { return await action(); } finally { button.disabled = false; }
}
/** A random key naming one operation, for Idempotency-Key (crypto.randomUUID needs https; this does not). */
function newKey() { return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join(''); }
/**
 * "Newer" and "Older" buttons and "21–40 of 75" for a page of the ledger ({page, size, total}); passed: entries at
 * the page's top that are not shown (shown on the page before, until new entries pushed them down).
 */
function pager(target, page, go, passed = 0) {
  const first = page.total === 0 ? 0 : page.page * page.size + 1 + passed;
  const last = Math.min(page.total, (page.page + 1) * page.size);
  $(target).replaceChildren(
    el('button', { type: 'button', class: 'secondary', 'data-page': 'newer', onclick: () => go(page.page - 1), ...(page.page > 0 ? {} : { disabled: '' }) }, '← Newer'), ' ',
    el('span', { class: 'muted' }, first + '–' + last + ' of ' + fmt(page.total)), ' ',
    el('button', { type: 'button', class: 'secondary', 'data-page': 'older', onclick: () => go(page.page + 1), ...(last < page.total ? {} : { disabled: '' }) }, 'Older →'));
}
function fmt(n) { return Number(n).toLocaleString('en'); }
/** A card number as typed: printed in groups ("2900 0000 0001 8", "2900-0000-0001-8"), its digits; else as typed. */
function typedCard(text) { return text.trim().replace(/^[\d\s-]+$/, digits => digits.replace(/[\s-]/g, '')); }
/** A time as people read it ("23 Nov 2026, 10:15"), in the time zone given (the programme's), else the browser's. */
function when(iso, zone) {
  return iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone || undefined }) : '';
}

// Days of the programme's calendar. A day is held as "2026-11-23" (what the engine sends for a date); the day an
// instant falls on depends on the zone, and a programme's days are those of its own zone, not the browser's.

/** The day ("2026-11-23") an instant (ISO text or milliseconds) falls on in a time zone. */
function dayIn(instant, zone) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(instant));
  const part = type => parts.find(p => p.type === type).value;
  return part('year') + '-' + part('month') + '-' + part('day');
}
/** The day after (or n days after) a day. */
function nextDay(day, n = 1) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
/** A day as people read it, "23 Nov 2026" (options replace the style), the same in every browser. */
function dayText(day, options) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', Object.assign({ timeZone: 'UTC' }, options || { dateStyle: 'medium' }));
}
/** A day as a <time> element: read by people, its datetime read by machines. */
function dayElement(day) { return day ? el('time', { datetime: day }, dayText(day)) : ''; }
/** The instant a wall-clock time ("2026-11-23T10:15") of a time zone is, as ISO text. */
function instantIn(local, zone) {
  const asIfUtc = Date.parse(local.length === 16 ? local + ':00Z' : local + 'Z');
  // The zone's offset at a guess of the instant, then at the better guess it gives (right across a change of offset).
  let instant = asIfUtc;
  for (let i = 0; i < 2; i++) instant = asIfUtc - offsetAt(instant, zone);
  return new Date(instant).toISOString();
}
/** How far ahead of UTC a time zone's clocks are at an instant, in milliseconds. */
function offsetAt(instant, zone) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(new Date(instant));
  const part = type => Number(parts.find(p => p.type === type).value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}
/** A message for the page once it has reloaded (signing out reloads it, so that nothing of the account stays in it). */
function noticeAfterReload(text, kind) { sessionStorage.setItem('loyalty.notice', JSON.stringify({ text, kind })); }
document.addEventListener('DOMContentLoaded', () => {
  const notice = sessionStorage.getItem('loyalty.notice');
  if (!notice) return;
  sessionStorage.removeItem('loyalty.notice');
  const { text, kind } = JSON.parse(notice);
  show('#message', text, kind);
});
/** The Sign out button of either page: the engine ends the session, then the page reloads empty and says how it went. */
async function logOutAndReload(button) {
  await once(button, async () => {
    if (await Api.logOut()) noticeAfterReload('You are signed out', 'ok');
    else noticeAfterReload('You are signed out on this page, but the server could not be reached to end the session: it ends when it expires, or when you change your password', 'error');
    location.reload();
  });
}
/**
 * The "change my password" form of either page (#password-form): the two new passwords must match; the engine
 * (at path) checks the current one, ends every other session and answers the token of a new one, which this tab
 * keeps. What happened is said beside the form (#password-message), where the eye is.
 */
function passwordForm(path) {
  const form = $('#password-form');
  const box = '#password-message';
  form.addEventListener('submit', async event => {
    event.preventDefault();
    $(box).textContent = ''; $(box).className = '';
    if ($('#pw-new').value !== $('#pw-confirm').value) {
      show(box, 'The new password and its repetition differ: type the same new password twice', 'error');
      $('#pw-confirm').focus();
      return;
    }
    await once($('#change-password'), async () => {
      try {
        Api.keep(await Api.call('POST', path, { currentPassword: $('#pw-current').value, newPassword: $('#pw-new').value }));
        form.reset();
        show(box, 'Your password is changed. Every other session of your account is signed out; this page stays signed in.', 'ok');
      } catch (e) {
        if (e.sessionEnded) return;
        show(box, e.message, 'error');
        const field = e.body && e.body.field;
        if (field === 'currentPassword') { $('#pw-current').value = ''; $('#pw-current').focus(); }
        else if (field === 'newPassword') $('#pw-new').focus();
      }
    });
  });
}
/** Empties the password form and its message: no password stays typed in a page whose session ended. */
function clearPasswordForm() {
  $('#password-form').reset();
  $('#password-message').textContent = ''; $('#password-message').className = '';
}
