// A tiny client of the engine's API for the pages: the token lives in the tab's session storage and travels as a
// bearer header (never a cookie), errors come back in the contract's shape.
'use strict';
// The application's root, wherever it is deployed ("/" with the launcher, "/loyalty/" in a shared server).
const ROOT = new URL('../', document.currentScript.src).pathname;
const Api = {
  token() { return sessionStorage.getItem('loyalty.token'); },
  signedIn() { return !!Api.token(); },
  async call(method, path, body, contentType) {
    const headers = { 'Accept': 'application/json' };
    if (Api.token()) headers['Authorization'] = 'Bearer ' + Api.token();
    if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
    const payload = body === undefined ? undefined : contentType ? body : JSON.stringify(body);
    const response = await fetch(ROOT + 'api/v1/' + path, { method, headers, body: payload });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
    if (response.status === 401 && path !== 'auth/login') { Api.signOut(); }
    if (!response.ok) { const error = new Error((json && json.message) || ('HTTP ' + response.status)); error.status = response.status; error.body = json; throw error; }
    return json;
  },
  async blob(path) {
    const response = await fetch(ROOT + 'api/v1/' + path, { headers: { 'Authorization': 'Bearer ' + Api.token() } });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return URL.createObjectURL(await response.blob());
  },
  async signIn(email, password) {
    const session = await Api.call('POST', 'auth/login', { email, password });
    sessionStorage.setItem('loyalty.token', session.token);
    sessionStorage.setItem('loyalty.role', session.role);
    return session;
  },
  signOut() { sessionStorage.removeItem('loyalty.token'); sessionStorage.removeItem('loyalty.role'); },
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
function fmt(n) { return Number(n).toLocaleString('en'); }
function when(iso) { return iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : ''; }
