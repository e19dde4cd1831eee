'use strict';
let files = [];
let currentFile = 0;
let memberId = null;
let currentView = null;
let shownProgramme = 'DEMO';
// The tab open when the session ended, shown again after signing in (the rule editor as it was left).
let resumeView = null;
// The programme and live version the rule editor holds: saving, publishing and rolling back go to that programme.
let rulesProgramme = null;
let liveVersion = null;
// The version whose files the editor was opened on (the live one, a draft, an older one), and those files as they
// were loaded or last saved: what differs from them is the manager's unsaved work.
let openedVersion = null;
let rulesBaseline = null;
// The Idempotency-Key of the adjustment being filled in: a double click or a retry of it sends the same key.
let adjustKey = null;
// Whether the open member closed their account: nothing of theirs can be given back to it.
let memberClosed = false;
// The open member's redemptions as the Redemptions table shows them.
let shownRedemptions = [];
/** The pair compared for a merge, the one the Merge button merges; null when none is on screen. */
let mergePair = null;
// Set once Sign out is confirmed: the page's reload then asks nothing more.
let signingOut = false;
const LEDGER_SIZE = 50;
// The programme chosen in the list; before the list is loaded, the one chosen last in this browser.
const programme = () => $('#programme').value || localStorage.getItem(PROGRAMME_KEY) || 'DEMO';
const readOnly = () => Api.role() === 'AUDITOR';
// A session that ended has said so already (signedOut). A form's error is said beside it (box), in view.
function fail(error, box) { if (!error.sessionEnded) { if (box) say(box, error.message, 'error'); else show('#message', error.message, 'error'); } }

function view(name, reload = true) {
  currentView = name;
  document.querySelectorAll('.view').forEach(v => v.classList.toggle('hidden', v.id !== name));
  document.querySelectorAll('#nav button').forEach(b => b.classList.toggle('active', b.dataset.view === name));
  if (!reload) return;
  // Back on the rule editor: unsaved work stays as it was left (the versions as they are now); else the version it
  // was opened on, as it is now.
  if (name === 'rules') {
    if (rulesProgramme === programme() && rulesDirty()) loadVersions().catch(fail);
    else loadRules(rulesProgramme === programme() && openedVersion !== liveVersion ? openedVersion : null).catch(fail);
  }
  if (name === 'claims') loadClaims().catch(fail);
  if (name === 'programme') loadProgramme().catch(fail);
  if (name === 'reports') loadReports().catch(fail);
  if (name === 'keys') loadKeys().catch(fail);
  if (name === 'audit') { loadAudit().catch(fail); loadBackups().catch(fail); }
  if (name === 'knowledge') loadKnowledge().catch(fail);
  if (name === 'staff') loadStaff().catch(fail);
  // Back to a member left open: their points and ledger as they are now (a claim accepted, a sale since).
  if (name === 'members' && memberId) openMember(memberId).catch(fail);
}

function csvRows(text) {
  const rows = [];
  text.split(/\r?\n/).filter(line => line.trim()).forEach(line => {
    const cells = []; let cell = ''; let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) { if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c; }
      else if (c === '"') quoted = true; else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
    }
    cells.push(cell); rows.push(cells);
  });
  return rows;
}

function previewTable() {
  const file = files[currentFile];
  const isTable = file && file.path.toLowerCase().endsWith('.csv');
  $('#table-preview').classList.toggle('hidden', !isTable);
  if (isTable) $('#table-rows').replaceChildren(...csvRows($('#source').value).map(r => el('tr', {}, r.map(c => el('td', {}, c)))));
}

/** The tier codes the programme's live rules name as a text ("GOLD"); null when the rules cannot be read. */
async function tiersNamedByLiveRules(code) {
  try {
    const rules = await Api.call('GET', 'admin/programmes/' + code + '/rules');
    const text = rules.files.map(f => f.content.replace(/\/\/[^\n]*|#[^\n]*/g, '')).join('\n');
    const named = new Set();
    for (const match of text.matchAll(/["']([A-Za-z0-9_-]{1,32})["']/g)) named.add(match[1]);
    // A decision table names them in its cells, quoted or not.
    for (const f of rules.files.filter(f => f.path.toLowerCase().endsWith('.csv'))) for (const cell of f.content.split(/[,\n]/)) named.add(cell.trim().replace(/^"+|"+$/g, ''));
    return named;
  } catch (e) { return null; }
}

async function loadProgramme() {
  const code = programme();
  const p = await Api.call('GET', 'admin/programmes/' + code);
  if (code !== programme()) return;
  $('#p-name').value = p.name; $('#p-currency').value = p.currency; $('#p-zone').value = p.timeZone; $('#p-expire').value = p.pointsExpireAfterDays;
  $('#p-pending').value = p.pendingDays; $('#p-value').value = p.pointValue; $('#p-window').value = p.tierWindowDays;
  $('#p-most').value = p.maxSaleTotal || '';
  // A tier no live rule names earns its members no bonus of its own: a tier added above GOLD made its members earn
  // less than GOLD's. The entry tier is left out (rules rarely name it).
  const named = await tiersNamedByLiveRules(code);
  if (code !== programme()) return;
  $('#tier-list').replaceChildren(...p.tiers.map(t => el('tr', {}, el('td', {}, t.code, named && t.rank > 0 && !named.has(t.code)
    ? el('div', { class: 'warn', title: 'An earning rule names a tier as a text, e.g. MemberProfile( tier == "' + t.code + '" ); members of a tier no rule names get no bonus of their own' }, 'No live rule names it') : ''),
    el('td', {}, t.name), el('td', { class: 'num' }, fmt(t.minimumPoints)), el('td', {}, t.benefits || ''),
    editCell('tier-' + t.code, row => editTier(row, t)))));
  const rewards = await Api.call('GET', 'admin/programmes/' + code + '/rewards');
  if (code !== programme()) return;
  $('#reward-list').replaceChildren(...rewards.map(r => el('tr', {}, el('td', {}, r.rewardId), el('td', {}, r.name), el('td', { class: 'num' }, fmt(r.points)),
    el('td', {}, r.tier || 'all'), el('td', { class: 'num' }, r.stock == null ? 'unlimited' : fmt(r.stock)),
    el('td', {}, (r.validFrom || r.validUntil) ? (r.validFrom || '…') + ' – ' + (r.validUntil || '…') : 'always'),
    editCell('reward-' + r.rewardId, row => editReward(row, r)))));
}

async function signedIn() {
  $('#sign-in').classList.add('hidden');
  const resume = resumeView;
  resumeView = null;
  // The programmes first, then the tabs: every time on them is shown in the chosen programme's zone.
  await loadProgrammes().catch(fail);
  if (!Api.signedIn()) return;
  ['#nav', '#sign-out', '#my-password-button', '#programme-box'].forEach(s => $(s).classList.remove('hidden'));
  // The auditor reads only: the controls that change something would answer 403.
  document.querySelectorAll('[data-write]').forEach(control => control.classList.toggle('hidden', readOnly()));
  $('#staff-tab').classList.toggle('hidden', Api.role() !== 'ADMIN');
  // Back on the rule editor after a session ended: keep what was typed in it rather than load the live rules.
  if (resume) view(resume, !(resume === 'rules' && files.length)); else view('members');
}

/** The session ended (401): the sign-in form again, the data hidden; what the editor holds stays in the page. */
function signedOut() {
  if (currentView) resumeView = currentView;
  ['#nav', '#sign-out', '#my-password-button', '#programme-box'].forEach(s => $(s).classList.add('hidden'));
  document.querySelectorAll('.view').forEach(v => v.classList.add('hidden'));
  $('#sign-in').classList.remove('hidden');
  $('#password').value = '';
  clearPasswordForm();
  show('#message', 'Your session has ended: sign in again (nothing typed on the page is lost)', 'error');
}

/** Another programme in the box: the open tab shows that programme's data, and a member of the other one closes. */
function programmeChanged() {
  if (programme() === shownProgramme) return;
  if (rulesProgramme === shownProgramme && rulesDirty() && !confirm('The changes made to the rules of ' + rulesProgramme
    + ' in the editor are not saved: show ' + programme() + ' and lose them?')) {
    $('#programme').value = shownProgramme;
    rememberProgramme();
    return;
  }
  if (rulesProgramme === shownProgramme) rulesBaseline = null; // what the editor held is given up
  shownProgramme = programme();
  memberId = null;
  adjustKey = null;
  $('#member').classList.add('hidden');
  $('#search-results').replaceChildren();
  if ($('#print-sheet')) $('#print-sheet').remove();
  if (currentView) view(currentView);
}

// ---- members
async function openMember(id) {
  if (id !== memberId) {
    // Another member: no card sheet and no half-filled adjustment of the one before.
    if ($('#print-sheet')) $('#print-sheet').remove();
    adjustKey = null;
    $('#adjust-points').value = ''; $('#adjust-reason').value = ''; $('#adjust-negative').checked = false; clearBox('#adjust-message');
    clearBox('#redemption-message');
    $('#tier-set-reason').value = ''; clearBox('#tier-set-message');
    $('#reset-code-shown').classList.add('hidden'); $('#reset-code-shown').replaceChildren();
    // Nor the comparison made on the member before: a merge is only ever of the pair on screen.
    $('#merge-from').value = ''; clearMerge();
    $('#handed-card').value = '';
  }
  memberId = id;
  const record = await Api.call('GET', 'admin/members/' + id);
  // Another member opened meanwhile (a click while this one loaded): theirs is the page.
  if (id !== memberId) return;
  memberClosed = record.status === 'CLOSED';
  const account = record.account;
  $('#member').classList.remove('hidden');
  $('#member-name').textContent = account.firstName + ' ' + account.lastName + ' · ' + (account.email || '') + (record.phone ? ' · ' + record.phone : '') + ' · ' + account.memberId + (record.status !== 'ACTIVE' ? ' (' + record.status + ')' : '');
  $('#member-available').textContent = fmt(account.availablePoints);
  $('#member-tier').textContent = account.tier;
  // The tiers to set by hand: the programme's, the member's own chosen.
  Api.call('GET', 'admin/programmes/' + programme()).then(p => {
    if (id !== memberId) return;
    $('#tier-set').replaceChildren(...p.tiers.map(t => el('option', { value: t.code }, t.code + (t.name && t.name !== t.code ? ' (' + t.name + ')' : ''))));
    $('#tier-set').value = account.tier;
  }).catch(() => {});
  const keeping = account.tierProgress.keeping;
  $('#member-progress').textContent = (account.tierProgress.nextTier ? fmt(account.tierProgress.needed) + ' to ' + account.tierProgress.nextTier : 'top tier')
    + (keeping && keeping.needed > 0 ? ' · keeping ' + keeping.tier + ' at the review on ' + keeping.on + ' takes ' + fmt(keeping.needed) + ' more' : '');
  $('#member-cards').replaceChildren(...record.cards.map(card => el('tr', {}, el('td', {}, card.cardNumber), el('td', {}, card.status + (card.reason ? ' (' + card.reason + ')' : '')),
    el('td', {}, [el('button', { class: 'secondary', onclick: () => printCard(card.cardNumber) }, 'Print'), ' ',
      ...(readOnly() ? [] : card.status === 'ACTIVE' ? [el('button', { class: 'secondary', onclick: e => cardAction(card.cardNumber, 'block', e.currentTarget) }, 'Block'), ' ',
        el('button', { class: 'secondary', onclick: e => cardAction(card.cardNumber, 'replace', e.currentTarget) }, 'Replace')]
        : card.status === 'BLOCKED' ? [el('button', { class: 'secondary', onclick: e => cardAction(card.cardNumber, 'activate', e.currentTarget) }, 'Reactivate'), ' ',
          el('button', { class: 'secondary', onclick: e => cardAction(card.cardNumber, 'replace', e.currentTarget) }, 'Replace')] : [])]))));
  // Every offer the rules chose for the member, with what became of it and why it was chosen.
  const given = record.offersGiven || [];
  const status = { OPEN: 'open', USED: 'used', HELD_OUT: 'held out (control group)', LAPSED: 'lapsed unused' };
  $('#member-offers').replaceChildren(...(given.length ? given.map(o => el('tr', {}, el('td', {}, o.title + ' (' + o.offerId + ')'),
      el('td', {}, status[o.status] || o.status), el('td', {}, o.grantedOn + ' to ' + o.validUntil),
      el('td', {}, 'rule ' + o.chosenBy + (o.segment ? ', segment ' + o.segment : ''))))
    : [el('tr', {}, el('td', { class: 'muted' }, 'None given'), el('td', {}, ''), el('td', {}, ''), el('td', {}, ''))]));
  const c = record.contact;
  $('#c-address').value = c.postalAddress || ''; $('#c-email').checked = c.consentEmail; $('#c-sms').checked = c.consentSms; $('#c-post').checked = c.consentPost;
  $('#c-email-bad').checked = c.emailUndeliverable; $('#c-post-bad').checked = c.postUndeliverable;
  try {
    const k = await Api.call('GET', 'admin/members/' + id + '/knowledge');
    if (id !== memberId) return;
    $('#member-knowledge').textContent = 'Segment ' + k.segment + ' · R' + k.recencyScore + ' F' + k.frequencyScore + ' M' + k.monetaryScore + ' · ' + k.frequency + ' visits, '
      + k.averageBasket + ' average basket in 12 months · favourite ' + (k.favouriteCategory || '-') + ' · attrition risk ' + k.attritionRisk + ' (as of ' + k.computedOn + ')';
  } catch (e) { if (id !== memberId) return; $('#member-knowledge').textContent = 'Not scored yet'; }
  await loadLedger(0);
  await loadPurchases(0);
  await loadRedemptions(0);
}

/**
 * A page of the open member's redemptions, newest first, each with what became of it; staff who may write cancel
 * one that stands, with a reason typed in its row.
 */
async function loadRedemptions(page) {
  const id = memberId;
  const list = await Api.call('GET', 'admin/members/' + id + '/redemptions?size=' + LEDGER_SIZE + '&page=' + page);
  if (id !== memberId) return;
  shownRedemptions = list.items;
  const zone = programmeZone();
  const fate = r => !r.cancelledAt ? 'stands'
    : 'cancelled ' + when(r.cancelledAt, zone) + (r.cancelledBy ? ' by ' + r.cancelledBy : ' at the till ' + r.cancelStoreId + (r.cancelTerminalId ? '/' + r.cancelTerminalId : ''))
      + (r.cancelReason ? ': ' + r.cancelReason : '');
  $('#redemptions').replaceChildren(...(list.items.length ? list.items.map(r => {
    const action = el('td', {});
    if (!r.cancelledAt && !readOnly() && !memberClosed) {
      action.append(el('button', { class: 'secondary', 'data-cancel': r.redemptionId, onclick: () => askWhy(action, r, page) }, 'Cancel…'));
    }
    return el('tr', { 'data-redemption': r.redemptionId }, el('td', {}, when(r.recordedAt, zone)),
      el('td', {}, r.storeId + ' · ' + r.receiptId, el('div', { class: 'muted' }, 'redemption ' + r.redemptionId + (r.memberId !== id ? ' on merged account ' + r.memberId : ''))),
      el('td', {}, r.reward ? r.reward + ' (' + r.rewardId + ')' : 'points for their value: ' + r.redemptionValue),
      el('td', { class: 'num' }, fmt(r.points)), el('td', {}, fate(r)), action);
  }) : [el('tr', {}, el('td', { class: 'muted', colspan: '6' }, 'No redemption yet'))]));
  pager('#redemptions-pages', list, next => loadRedemptions(next).catch(fail));
}

/** The reason asked in the redemption's row, then the cancellation sent once however often it is clicked. */
function askWhy(cell, redemption, page) {
  const reason = el('input', { 'aria-label': 'Why is redemption ' + redemption.redemptionId + ' cancelled?', 'data-field': 'reason', maxlength: '200', required: '' });
  const form = el('form', { class: 'row' }, reason, el('button', { type: 'submit' }, 'Give the points back'),
    el('button', { type: 'button', class: 'secondary', onclick: () => loadRedemptions(page).catch(fail) }, 'Keep it'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    await once(form.querySelector('button[type=submit]'), async () => {
      clearBox('#redemption-message');
      const member = memberId;
      let answer;
      try {
        answer = await Api.exchange('POST', 'admin/members/' + member + '/redemptions/' + redemption.redemptionId + '/cancel', { reason: reason.value });
      } catch (e) { if (member === memberId) failIn(form, e, '#redemption-message'); return; }
      if (member !== memberId) return;
      await openMember(member);
      const result = answer.json;
      // A 200 is the first answer given again: to a retry of this very request (its reason is the one kept), or
      // because a till or another staff member was first.
      const line = shownRedemptions.find(r => r.redemptionId === result.redemptionId);
      const ours = answer.status === 201 || (line && line.cancelledBy && line.cancelReason === reason.value.trim());
      if (!ours) {
        // A till or another staff member was first: nothing was given back now, and this reason was not kept.
        say('#redemption-message', 'Redemption ' + result.redemptionId + ' had been cancelled already, '
          + when(result.cancelledAt, programmeZone()) + ' (its row says by whom): nothing given back now', 'error');
        return;
      }
      say('#redemption-message', 'Redemption ' + result.redemptionId + ' cancelled: ' + fmt(result.pointsReturned) + ' points given back'
        + (result.reward ? ', ' + result.reward + ' back in stock' : '') + '; available now ' + fmt(result.availablePoints)
        + (result.reward ? '' : '. The points were worth ' + result.redemptionValue + ' off a purchase: take that value back from the customer if they keep what they bought with it')
        + (result.pointsExpiredMeanwhile > 0 ? '. ' + fmt(result.pointsExpiredMeanwhile) + ' of them had expired meanwhile and go at the next expiry run: credit them by hand (Adjust points) if the customer is owed them' : ''), 'ok');
    });
  });
  cell.replaceChildren(form);
  reason.focus();
}

/** A page of the open member's purchases, newest first: a sale that earned nothing shows here with its rules. */
async function loadPurchases(page) {
  const id = memberId;
  const sales = await Api.call('GET', 'admin/members/' + id + '/sales?size=' + LEDGER_SIZE + '&page=' + page);
  if (id !== memberId) return;
  const zone = programmeZone();
  $('#purchases').replaceChildren(...sales.items.map(sale => el('tr', { 'data-sale': sale.transactionId }, el('td', {}, when(sale.occurredAt, zone)),
    el('td', {}, sale.storeId + ' · ' + sale.receiptId, Number(sale.returned) > 0 ? el('div', { class: 'muted' }, sale.returned + ' ' + sale.currency + ' brought back') : ''),
    el('td', { class: 'num' }, sale.total + ' ' + sale.currency), el('td', { class: 'num' }, fmt(sale.pointsEarned)), el('td', { class: 'num' }, fmt(sale.pointsRedeemed)),
    el('td', {}, (sale.appliedRules.length ? sale.appliedRules.map(r => r.rule + ' ' + r.points).join(', ') : 'no rule awarded points') + (sale.ruleSet ? ' (' + sale.ruleSet + ')' : '')))));
  pager('#purchases-pages', sales, next => loadPurchases(next).catch(fail));
}

/** A page of the open member's ledger, newest first, with Newer and Older. */
async function loadLedger(page) {
  const id = memberId;
  const ledger = await Api.call('GET', 'admin/members/' + id + '/transactions?size=' + LEDGER_SIZE + '&page=' + page);
  if (id !== memberId) return;
  const zone = programmeZone();
  // The ledger is in the order the points moved (recordedAt); a purchase credited on a later day (a till that was
  // offline, a claim) also says when it was made, as the customer's history does.
  const made = line => line.occurredAt && dayIn(line.occurredAt, zone) !== dayIn(line.recordedAt, zone)
    ? [el('div', { class: 'muted' }, (line.kind === 'EARN' ? 'purchase of ' : 'dated ') + when(line.occurredAt, zone))] : [];
  $('#ledger').replaceChildren(...ledger.items.map(line => el('tr', { 'data-kind': line.kind }, el('td', {}, when(line.recordedAt, zone), ...made(line)), el('td', {}, line.kind),
    el('td', { class: 'num' }, fmt(line.points)), el('td', {}, (line.appliedRules || []).map(r => r.rule + ' ' + r.points).join(', ') + (line.ruleSet ? ' (' + line.ruleSet + ')' : '')),
    el('td', {}, line.actor || ''), el('td', {}, line.reason || line.reference || (line.receiptId ? 'receipt ' + line.receiptId : '')))));
  pager('#ledger-pages', ledger, next => loadLedger(next).catch(fail));
}

/** One print sheet at a time: printing another card replaces it. */
async function printCard(card) {
  try {
    const image = el('img', { src: await Api.blob('admin/cards/' + card + '/barcode.png?format=EAN_13'), alt: 'Card ' + card, class: 'card-image' });
    const sheet = el('section', { class: 'panel printable', id: 'print-sheet' }, el('h2', {}, 'Card ' + card), image, el('button', { onclick: () => window.print() }, 'Print'));
    if ($('#print-sheet')) $('#print-sheet').remove();
    $('#member').prepend(sheet);
  } catch (e) { fail(e); }
}

function summary(record) {
  const a = record.account;
  return a.firstName + ' ' + a.lastName + '\n' + (a.email || '') + '\n' + a.memberId + '\ntier ' + a.tier + '\n' + fmt(a.availablePoints) + ' points\ncards: ' + record.cards.map(c => c.cardNumber + ' ' + c.status).join(', ');
}

async function cardAction(card, action, button) {
  let body = {};
  const handed = action === 'replace' ? handedCard() : null;
  if (action !== 'activate') {
    const reason = prompt(action === 'block' ? 'Why is the card blocked?' : 'Why is card ' + card + ' replaced'
      + (handed ? ' by the card handed over, ' + handed : ' by a new card number') + '?', action === 'block' ? 'lost' : 'damaged');
    if (reason === null) return;
    body = handed ? { reason, cardNumber: handed } : { reason };
  } else if (!confirm('Put card ' + card + ' back into use?')) return;
  await once(button, async () => {
    try {
      const result = await Api.call('POST', 'admin/cards/' + card + '/' + action, body);
      show('#message', action === 'replace' ? 'New card ' + result.cardNumber : action === 'block' ? 'Card blocked' : 'Card ' + card + ' is active again', 'ok');
      if (handed) $('#handed-card').value = '';
      await openMember(memberId);
    } catch (e) { fail(e); }
  });
}

// ---- programme set-up: the list of programmes, creating one, editing tiers and rewards, enrolling, importing
// The programme chosen last in this browser: chosen again at the next sign-in when the staff member may see it.
const PROGRAMME_KEY = 'loyalty.backoffice.programme';
// The programmes in the Programme list, as GET admin/programmes gave them (the caller's own only).
let programmeList = [];
/**
 * The chosen programme's time zone (from GET admin/programmes): the page shows every time in it, as the bar says,
 * whatever the browser's own zone. Undefined (the browser's zone) only before the list is loaded.
 */
function programmeZone() {
  const chosen = programmeList.find(p => p.code === programme());
  return chosen ? chosen.timeZone : undefined;
}

/**
 * Fills the Programme list with the programmes the signed-in staff member may see and chooses {@code choose}, the
 * one chosen before, DEMO, or else the first; the open tab follows when that changes the programme shown.
 */
async function loadProgrammes(choose) {
  const before = programme();
  const list = await Api.call('GET', 'admin/programmes');
  const box = $('#programme');
  const wanted = choose || box.value || localStorage.getItem(PROGRAMME_KEY) || 'DEMO';
  programmeList = list;
  box.replaceChildren(...(list.length ? list.map(p => el('option', { value: p.code }, p.code + ' · ' + p.name))
    : [el('option', { value: '' }, 'no programme yet')]));
  box.value = list.some(p => p.code === wanted) ? wanted : list.length ? list[0].code : '';
  $('#create-programme').classList.toggle('hidden', Api.role() !== 'ADMIN');
  $('#delete-programme').classList.toggle('hidden', Api.role() !== 'ADMIN' || !list.length);
  rememberProgramme();
  if (programme() !== before) programmeChanged(); else shownProgramme = programme();
}

/** Keeps the choice for the next sign-in, and shows the programme's currency and time zone beside it. */
function rememberProgramme() {
  const chosen = programmeList.find(p => p.code === $('#programme').value);
  if (chosen) localStorage.setItem(PROGRAMME_KEY, chosen.code);
  $('#programme-facts').textContent = chosen ? chosen.currency + ' · ' + chosen.timeZone : '';
  $('#programme-facts').title = chosen ? 'Prices in ' + chosen.currency + '; days and weeks in ' + chosen.timeZone + ' time' : '';
}

/**
 * Shows the API's refusal of what was typed in {@code scope} (a form, a row): its message after the label of the
 * input named by the error's field, which is marked until it is changed; in box (beside the form) when given.
 */
function failIn(scope, error, box) {
  if (error.sessionEnded) return;
  scope.querySelectorAll('[aria-invalid]').forEach(input => input.removeAttribute('aria-invalid'));
  const field = error.body && error.body.field;
  const input = field ? scope.querySelector('[data-field="' + CSS.escape(field) + '"]') : null;
  if (!input) { fail(error, box); return; }
  const label = input.labels && input.labels.length ? input.labels[0].textContent : input.getAttribute('aria-label') || field;
  if (box) say(box, label + ': ' + error.message, 'error'); else show('#message', label + ': ' + error.message, 'error');
  input.setAttribute('aria-invalid', 'true');
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'), { once: true });
  input.focus();
}

async function createProgramme(event) {
  event.preventDefault();
  const form = $('#create-programme-form');
  await once($('#create-programme-button'), async () => {
    const body = { code: $('#n-code').value.trim().toUpperCase(), name: $('#n-name').value.trim(), currency: $('#n-currency').value.trim().toUpperCase(),
      timeZone: $('#n-zone').value.trim(), pointsExpireAfterDays: Number($('#n-expire').value), pendingDays: Number($('#n-pending').value),
      pointValue: $('#n-value').value.trim(), tierWindowDays: Number($('#n-window').value) };
    if ($('#n-entry').value.trim()) body.entryTier = $('#n-entry').value.trim();
    if ($('#n-most').value.trim()) body.maxSaleTotal = $('#n-most').value.trim();
    try {
      const created = await Api.call('POST', 'admin/programmes', body);
      form.reset();
      $('#n-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      await loadProgrammes(created.code);
      show('#message', 'Programme ' + created.code + ' created, in ' + created.currency + ' and ' + created.timeZone + ' time, with tier '
        + created.tiers.map(t => t.code).join(', ') + ' and starter rules (1 point per whole ' + created.currency + ') live: add its tiers, rewards, POS keys and members next', 'ok');
    } catch (e) { failIn(form, e); }
  });
}

/** Deletes the programme shown, once the administrator has typed its code: nothing else asks so much. */
async function deleteProgramme() {
  const code = programme();
  const typed = prompt('Delete programme ' + code + ' with its rules, tiers, rewards, offers and POS keys? Type its code to confirm.');
  if (typed === null) return;
  if (typed.trim().toUpperCase() !== code) { show('#message', 'Programme ' + code + ' kept: the code typed was not ' + code, 'error'); return; }
  await once($('#delete-programme-button'), async () => {
    try {
      await Api.call('DELETE', 'admin/programmes/' + encodeURIComponent(code));
      // The list moves to another programme, and the open tab is filled again with that one's: nothing of the
      // deleted one stays on the page for a save to send to the next.
      localStorage.removeItem(PROGRAMME_KEY);
      await loadProgrammes();
      show('#message', 'Programme ' + code + ' deleted', 'ok');
    } catch (e) { fail(e); }
  });
}

/** The last cell of a tier's or a reward's row: Edit turns the row into inputs (none for an auditor). */
function editCell(what, edit) {
  return el('td', {}, readOnly() ? '' : el('button', { type: 'button', class: 'secondary', 'data-edit': what, onclick: e => edit(e.currentTarget.closest('tr')) }, 'Edit'));
}

/** Save and Cancel for a row being edited; Enter in one of its inputs saves. */
function rowEditing(row, cells, save) {
  const saveButton = el('button', { type: 'button', 'data-save': '' }, 'Save');
  saveButton.addEventListener('click', () => once(saveButton, save));
  row.replaceChildren(...cells, el('td', {}, saveButton, ' ', el('button', { type: 'button', class: 'secondary', onclick: () => loadProgramme().catch(fail) }, 'Cancel')));
  row.querySelectorAll('input').forEach(input => input.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); saveButton.click(); } }));
  const first = row.querySelector('input');
  if (first) first.focus();
}

/** A tier's name, threshold and benefits, changed in place (PUT …/tiers/{tier}); an empty benefits clears them. */
function editTier(row, tier) {
  const code = programme();
  const name = el('input', { value: tier.name, 'data-field': 'name', 'aria-label': 'Name' });
  const minimum = el('input', { type: 'number', min: '0', value: tier.minimumPoints, 'data-field': 'minimumPoints', 'aria-label': 'From qualifying points' });
  const benefits = el('input', { value: tier.benefits || '', 'data-field': 'benefits', 'aria-label': 'Benefits' });
  rowEditing(row, [el('td', {}, tier.code), el('td', {}, name), el('td', { class: 'num' }, minimum), el('td', {}, benefits)], async () => {
    try {
      await Api.call('PUT', 'admin/programmes/' + code + '/tiers/' + encodeURIComponent(tier.code),
        { name: name.value.trim(), minimumPoints: minimum.value === '' ? null : Number(minimum.value), benefits: benefits.value });
      show('#message', 'Tier ' + tier.code + ' saved: members move on their next purchase (up) or yearly review (down)', 'ok');
      await loadProgramme();
    } catch (e) { failIn(row, e); }
  });
}

/** Every field of a reward, changed in place (PUT …/rewards/{id}); redemptions already made keep what they paid. */
function editReward(row, reward) {
  const code = programme();
  const name = el('input', { value: reward.name, 'data-field': 'name', 'aria-label': 'Name' });
  const points = el('input', { type: 'number', min: '1', value: reward.points, 'data-field': 'points', 'aria-label': 'Points' });
  const tier = el('input', { value: reward.tier || '', placeholder: 'all', 'data-field': 'tier', 'aria-label': 'Tier (empty: all)' });
  const stock = el('input', { type: 'number', min: '0', value: reward.stock == null ? '' : reward.stock, placeholder: 'unlimited', 'data-field': 'stock', 'aria-label': 'Stock (empty: unlimited)' });
  const from = el('input', { type: 'date', value: reward.validFrom || '', 'data-field': 'validFrom', 'aria-label': 'Valid from' });
  const until = el('input', { type: 'date', value: reward.validUntil || '', 'data-field': 'validUntil', 'aria-label': 'Valid until' });
  rowEditing(row, [el('td', {}, reward.rewardId), el('td', {}, name), el('td', { class: 'num' }, points), el('td', {}, tier), el('td', { class: 'num' }, stock), el('td', {}, from, until)], async () => {
    try {
      await Api.call('PUT', 'admin/programmes/' + code + '/rewards/' + encodeURIComponent(reward.rewardId), { name: name.value.trim(),
        points: points.value === '' ? null : Number(points.value), tier: tier.value.trim() || null, stock: stock.value === '' ? null : Number(stock.value),
        // The stock as read: redemptions made since are kept when the stock is left as it was (409 if it was changed).
        stockWas: reward.stock == null ? null : reward.stock,
        validFrom: from.value || null, validUntil: until.value || null });
      show('#message', 'Reward ' + reward.rewardId + ' saved', 'ok');
      await loadProgramme();
    } catch (e) {
      failIn(row, e);
      // The stock changed since the row was read: what it is now becomes the stock as read, so that the stock typed
      // again from it is saved (the next Save would otherwise be refused the same way).
      if (e.body && e.body.error === 'stock_changed') {
        const now = (await Api.call('GET', 'admin/programmes/' + code + '/rewards').catch(() => [])).find(r => r.rewardId === reward.rewardId);
        if (now) { reward.stock = now.stock; stock.value = now.stock == null ? '' : now.stock; }
      }
    }
  });
}

/** Enrols one member with a new card (or a pre-printed one) and opens them. */
async function enrolMember(event) {
  event.preventDefault();
  const form = $('#enrol-form');
  await once($('#enrol'), async () => {
    const body = { email: $('#e-email').value.trim(), firstName: $('#e-first').value.trim(), lastName: $('#e-last').value.trim() };
    [['birthDate', '#e-birth'], ['phone', '#e-phone'], ['cardNumber', '#e-card'], ['password', '#e-password']]
      .forEach(([field, input]) => { if ($(input).value.trim()) body[field] = field === 'password' ? $(input).value : field === 'cardNumber' ? typedCard($(input).value) : $(input).value.trim(); });
    const code = programme();
    try {
      const enrolled = await Api.call('POST', 'admin/programmes/' + code + '/members', body);
      form.reset();
      show('#message', body.firstName + ' ' + body.lastName + ' enrolled in ' + code + ' as ' + enrolled.memberId + ' with card ' + enrolled.cardNumber
        + (enrolled.canSignIn ? '; they can sign in to the customer site' : ''), 'ok');
      await openMember(enrolled.memberId);
    } catch (e) { failIn(form, e); }
  });
}

/** The pre-printed card's number typed (in groups, or scanned), or null when the box is empty. */
function handedCard() {
  const typed = typedCard($('#handed-card').value);
  return typed ? typed : null;
}

/** One more card for the open member (a second person in the household, a key fob), after a confirmation. */
async function issueCard() {
  const id = memberId;
  const handed = handedCard();
  if (!id || !confirm('Issue ' + (handed ? 'card ' + handed : 'another card') + ' to ' + $('#member-name').textContent.split(' · ')[0] + '? Their points are shared by all their cards.')) return;
  await once($('#issue-card'), async () => {
    try {
      const card = await Api.call('POST', 'admin/members/' + id + '/cards', handed ? { cardNumber: handed } : {});
      show('#message', 'Card ' + card.cardNumber + ' issued', 'ok');
      if (handed) $('#handed-card').value = '';
      if (id === memberId) await openMember(id);
    } catch (e) { fail(e); }
  });
}

/**
 * A one-time code for the open member to set a new password online (they forgot theirs), after a confirmation
 * that the desk checked who they are. The code is shown here only, with the email it goes with and its last minute.
 */
async function issueResetCode() {
  const id = memberId;
  if (!id || !confirm('Have you checked that you are speaking to ' + $('#member-name').textContent.split(' · ')[0] + '? A reset code lets them choose a new password.')) return;
  await once($('#reset-code'), async () => {
    try {
      const issued = await Api.call('POST', 'admin/members/' + id + '/password-reset', {});
      const until = new Date(issued.expiresAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: programmeZone() });
      const box = $('#reset-code-shown');
      box.replaceChildren('Reset code for ' + issued.email + ': ', el('strong', { class: 'card-number' }, issued.code), ' (works once, until ' + until + '; on the site: "Forgot your password?")');
      box.classList.remove('hidden');
      box.scrollIntoView({ block: 'nearest' });
    } catch (e) { fail(e); }
  });
}

/** One CSV cell: quoted when it holds a separator, a quote or a line break; a formula's start defused. */
function csvCell(value) {
  let text = value == null ? '' : String(value);
  if (/^[=+\-@]/.test(text) && !/^[+-]?[0-9 ]+$/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** The members an import enrolled with their new cards (to print or post), and the same as a CSV to download. */
function showImportedMembers(report) {
  const members = report.members || [];
  $('#import-members').classList.toggle('hidden', !members.length);
  $('#import-member-rows').replaceChildren(...members.map(m => el('tr', { 'data-member': m.memberId }, el('td', {}, m.line),
    el('td', {}, el('a', { href: '#', onclick: e => { e.preventDefault(); view('members', false); openMember(m.memberId).catch(fail); } }, m.memberId)),
    el('td', {}, m.firstName + ' ' + m.lastName), el('td', {}, m.email), el('td', { class: 'card-number' }, m.cardNumber))));
  const link = $('#import-download');
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  const lines = [['memberId', 'cardNumber', 'firstName', 'lastName', 'email', 'line'],
    ...members.map(m => [m.memberId, m.cardNumber, m.firstName, m.lastName, m.email, m.line])];
  link.href = URL.createObjectURL(new Blob([lines.map(cells => cells.map(csvCell).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv' }));
  link.download = programme() + '-imported-cards.csv';
}

document.addEventListener('DOMContentLoaded', () => {
  $('#programme').addEventListener('change', rememberProgramme);
  $('#create-programme-form').addEventListener('submit', createProgramme);
  $('#delete-programme-button').addEventListener('click', deleteProgramme);
  $('#enrol-form').addEventListener('submit', enrolMember);
  $('#issue-card').addEventListener('click', issueCard);
  $('#reset-code').addEventListener('click', issueResetCode);
  if (Intl.supportedValuesOf) $('#time-zones').replaceChildren(...Intl.supportedValuesOf('timeZone').map(zone => el('option', { value: zone })));
  $('#n-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
});

// ---- rules
const KEYWORDS = /\b(package|import|rule|when|then|end|not|exists|forall|accumulate|collect|from|insert|insertLogical|modify|retract|delete|salience|no-loop|lock-on-active|agenda-group|global|function|query|declare|eval|new|return|if|else|true|false|null|RuleSet|RuleTable|Import|CONDITION|ACTION|NAME|Notes)\b/;
const TOKENS = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/|#[^\n]*$)|("(?:[^"\\\n]|\\.)*")|(\b\d+(?:\.\d+)?L?\b)|(\b[A-Z][A-Za-z0-9_]*\b)|(\b[a-zA-Z_-]+\b)/gm;

/** Colours DRL (and decision tables) under the transparent text area: comments, strings, numbers, types, keywords. */
function highlight() {
  const source = $('#source').value;
  const out = [];
  let last = 0;
  source.replace(TOKENS, (match, comment, string, number, type, word, offset) => {
    out.push(document.createTextNode(source.slice(last, offset)));
    last = offset + match.length;
    const kind = comment ? 'hl-comment' : string ? 'hl-string' : number ? 'hl-number'
      : KEYWORDS.test(match) ? 'hl-keyword' : type ? 'hl-type' : null;
    out.push(kind ? el('span', { class: kind }, match) : document.createTextNode(match));
    return match;
  });
  out.push(document.createTextNode(source.slice(last) + '\n'));
  $('#highlight').replaceChildren(...out);
  $('#highlight').scrollTop = $('#source').scrollTop;
  $('#highlight').scrollLeft = $('#source').scrollLeft;
}

function renderGutter(errorLines) {
  highlight();
  const count = $('#source').value.split('\n').length;
  const lines = [];
  for (let i = 1; i <= count; i++) lines.push(el('div', { 'data-line': i, class: errorLines && errorLines.has(i) ? 'error' : '' }, i));
  $('#gutter').replaceChildren(...lines);
}

function selectFile(index) {
  if (files[currentFile]) files[currentFile].content = $('#source').value;
  currentFile = index;
  $('#source').value = files[index] ? files[index].content : '';
  // No file open (the last one removed): nothing typed could be kept, so nothing can be typed.
  $('#source').disabled = !files[index];
  $('#rule-file').value = String(index);
  renderGutter();
  previewTable();
}

/** The editor's files with what the text area holds now. */
function editedFiles() {
  if (files[currentFile]) files[currentFile].content = $('#source').value;
  return files;
}

/** Whether the editor holds changes not saved as a version. */
function rulesDirty() {
  return rulesBaseline !== null && JSON.stringify(editedFiles()) !== rulesBaseline;
}

/** Lists the editor's files in the file chooser and opens one. */
function listFiles(index) {
  $('#rule-file').replaceChildren(...files.map((f, i) => el('option', { value: i }, f.path)));
  currentFile = -1;
  selectFile(Math.min(index, files.length - 1));
}

/** Opens a version of the programme's rules in the editor: the live one when none is given. */
async function loadRules(version) {
  const code = programme();
  const loaded = await Api.call('GET', 'admin/programmes/' + code + '/rules' + (version ? '?version=' + version : ''));
  if (code !== programme()) return;
  rulesProgramme = code;
  openedVersion = loaded.version;
  if (loaded.live) liveVersion = loaded.version;
  files = loaded.files.map(f => ({ path: f.path, content: f.content }));
  rulesBaseline = JSON.stringify(files);
  listFiles(0);
  // A comment written for changes no longer in the editor would label a draft that does not hold them.
  $('#comment').value = '';
  $('#rule-errors').replaceChildren();
  $('#rules-version').textContent = '';
  await loadVersions(loaded.version);
  // Said once the versions are there too: simulating and diffing are ready. Not when another programme was chosen
  // meanwhile: its rules are the ones on the page.
  if (code !== programme() || rulesProgramme !== code) return;
  sayOpened(code);
}

function sayOpened(code) {
  $('#rules-version').textContent = openedVersion === liveVersion ? code + ' live: version ' + liveVersion
    : code + ': version ' + openedVersion + ' in the editor' + (liveVersion ? ' (live: version ' + liveVersion + ')' : '');
}

/** After a publication or a rollback: the live version in the editor, unless it holds unsaved work. */
async function rulesPublished() {
  if (!rulesDirty()) { await loadRules(); return; }
  await loadVersions();
  sayOpened(rulesProgramme);
  show('#message', $('#message').textContent + '; your unsaved changes stay in the editor (made on version ' + openedVersion + ')', 'ok');
}

/** The versions; the diff goes from {@code from} (the live version) to {@code to} (the newest when not given). */
async function loadVersions(from, to) {
  const code = rulesProgramme;
  const versions = await Api.call('GET', 'admin/programmes/' + code + '/rules/versions');
  if (code !== rulesProgramme) return; // another programme's rules were loaded meanwhile
  const live = versions.find(v => v.live);
  liveVersion = live ? live.version : null;
  $('#versions').replaceChildren(...versions.map(v => el('tr', { class: v.version === openedVersion ? 'opened' : '' }, el('td', {}, 'v' + v.version + (v.version === openedVersion ? ' (in the editor)' : '')), el('td', {}, v.status + (v.live ? ' (live)' : '')),
    el('td', {}, v.author), el('td', {}, when(v.createdAt, programmeZone())), el('td', {}, v.comment || ''),
    el('td', {}, el('button', { class: 'secondary', 'data-open': v.version, onclick: () => openVersion(v.version) }, 'Open in the editor'),
      readOnly() ? '' : [' ', v.live ? el('button', { class: 'secondary', onclick: e => rollback(e.currentTarget) }, 'Roll back') : el('button', { class: 'secondary', 'data-publish': v.version, onclick: e => publish(v.version, e.currentTarget) }, 'Publish')]))));
  if (versions.length) {
    const newest = to || versions[0].version;
    // The diff goes from the version live now: another manager may have published one since the editor was opened.
    $('#sim-version').value = newest; $('#diff-to').value = newest; $('#diff-from').value = live ? live.version : from == null ? '' : from;
  }
  return versions;
}

/** Opens a version in the editor, to read it or to make a draft from it (after asking, over unsaved work). */
async function openVersion(version) {
  if (rulesDirty() && !confirm('The changes in the editor are not saved: open version ' + version + ' and lose them?')) return;
  try { await loadRules(version); } catch (e) { fail(e); }
}

function saveRules() { return once($('#save-rules'), saveRulesOnce); }

async function saveRulesOnce() {
  if (!rulesDirty()) {
    show('#message', 'Nothing to save: the editor holds the files of version ' + openedVersion + ' as they are', 'warn');
    return;
  }
  const saving = JSON.stringify(files);
  try {
    const saved = await Api.call('PUT', 'admin/programmes/' + rulesProgramme + '/rules', { comment: $('#comment').value, files, openedOn: openedVersion });
    // The draft is what the editor holds from now on (changes typed while it was saved still count as unsaved).
    openedVersion = saved.version;
    rulesBaseline = saving;
    $('#comment').value = '';
    $('#rule-errors').replaceChildren();
    renderGutter();
    show('#message', 'Saved as draft version ' + saved.version + ' of ' + rulesProgramme + ' (not live yet)', 'ok');
    const versions = await loadVersions(liveVersion, saved.version);
    sayOpened(rulesProgramme);
    const live = (versions || []).find(v => v.live);
    // Another manager published a version since this editor was opened: this draft lacks its changes.
    if (live && saved.basedOn != null && live.version !== saved.basedOn) {
      show('#message', 'Saved as draft version ' + saved.version + ', made from version ' + saved.basedOn + '; version ' + live.version + ' went live meanwhile (made by ' + live.author + ') and its changes are not in version ' + saved.version + '. Publishing it would take them back: reload the rules and make the change on version ' + live.version + '.', 'warn');
    }
  } catch (e) {
    if (showRuleErrors(e)) show('#message', 'Not saved: the rules do not compile; the live rules keep serving', 'error');
    else fail(e);
  }
}

/**
 * The errors of a rules_invalid answer, under the editor: a compile error on its line, a rule that fails as it runs
 * (found by a simulation or by the trial before publishing) by its name, where it is written and what it failed on.
 * Answers false for any other error.
 */
function showRuleErrors(e, version) {
  if (!e.body || e.body.error !== 'rules_invalid') return false;
  const errors = e.body.errors || [];
  markErrorLines(errors);
  $('#rule-errors').replaceChildren(...errors.map(x => x.rule ? ruleFailure(x, version) : el('li', {}, x.source + ' line ' + x.line + ', column ' + x.column + ': ' + x.message)));
  return true;
}

/** A rule that failed as it ran: its name first, where it is written (a button opens it there), what it failed on. */
function ruleFailure(error, version) {
  const index = files.findIndex(f => f.path === error.source);
  const where = error.source ? error.source + (error.line ? ', line ' + error.line : '') : '';
  return el('li', { class: 'rule-failure', 'data-rule': error.rule },
    'Rule ', el('strong', { class: 'rule-name' }, error.rule), (version ? ' of version ' + version : '') + ' fails as it runs', where ? ' (' + where + ')' : '',
    index < 0 ? '' : [' ', el('button', { type: 'button', class: 'secondary', onclick: () => showLine(index, error.line) }, 'Show in the editor')],
    el('div', { class: 'muted' }, error.message));
}

/** Marks in the gutter the lines in error of the file open in the editor. */
function markErrorLines(errors) {
  const path = files[currentFile] ? files[currentFile].path : null;
  renderGutter(new Set(errors.filter(x => path && x.source && x.source.startsWith(path)).map(x => x.line)));
}

/** Opens a file of the rule set at a line, marked. */
function showLine(index, line) {
  selectFile(index);
  renderGutter(new Set([line]));
  const marked = $('#gutter div[data-line="' + line + '"]');
  if (marked) $('#source').scrollTop = Math.max(0, marked.offsetTop - $('#source').clientHeight / 3);
  $('#source').focus();
}

/** Says a version was refused because rules fail as they run, and points at them under the editor. */
function ruleFailed(e, version, refused) {
  if (!showRuleErrors(e, version)) return false;
  const named = (e.body.errors || []).map(x => x.rule).filter(Boolean);
  show('#message', 'Version ' + version + ' was not ' + refused + ': ' + (named.length ? 'rule' + (named.length > 1 ? 's ' : ' ') + named.map(r => '"' + r + '"').join(', ') + (named.length > 1 ? ' fail' : ' fails') + ' as it runs' : e.message)
    + '. The live rules keep serving; see under the editor.', 'error');
  $('#rule-errors').scrollIntoView({ block: 'center' });
  return true;
}

async function publish(version, button) {
  const code = rulesProgramme;
  if (!confirm('Publish version ' + version + ' of ' + code + '? Every till earns by it from now on.')) return;
  await once(button, async () => {
    // What the manager agreed to when the engine asked: to replace a live version the draft was not made from, to
    // stop earning.
    const agreed = {};
    for (;;) {
      try {
        await publishOnce(code, version, agreed);
        return;
      } catch (e) {
        const error = e.body && e.body.error;
        const question = error === 'draft_outdated' && !agreed.replacesLive ? e.message
          : error === 'earns_nothing' && !agreed.earnsNothing ? e.message + '\n\nPublish it all the same: members stop earning points on their purchases?' : null;
        if (!question) { if (!ruleFailed(e, version, 'published')) fail(e); return; }
        if (!confirm(question)) { show('#message', 'Version ' + version + ' was not published: ' + e.message, 'warn'); return; }
        agreed[error === 'draft_outdated' ? 'replacesLive' : 'earnsNothing'] = true;
      }
    }
  });
}

async function publishOnce(code, version, agreed) {
  await Api.call('POST', 'admin/programmes/' + code + '/rules/publish', Object.assign({ version }, agreed));
  show('#message', 'Version ' + version + ' is live', 'ok');
  await rulesPublished();
}

async function rollback(button) {
  const code = rulesProgramme;
  if (!confirm('Roll back ' + code + ' to the version live before this one?')) return;
  await once(button, async () => {
    try { const live = await Api.call('POST', 'admin/programmes/' + code + '/rules/rollback', {}); show('#message', 'Rolled back: version ' + live.version + ' is live', 'ok'); await rulesPublished(); } catch (e) { fail(e); }
  });
}

async function diff() {
  try {
    const result = await Api.call('GET', 'admin/programmes/' + rulesProgramme + '/rules/diff?from=' + $('#diff-from').value + '&to=' + $('#diff-to').value);
    $('#diff-output').textContent = result.files.length ? result.files.map(f => '=== ' + f.path + ' (' + f.change + ')\n' + f.diff).join('\n') : 'No differences';
    $('#diff-output').classList.remove('hidden');
  } catch (e) { fail(e); }
}

async function simulate() {
  const code = rulesProgramme;
  const version = Number($('#sim-version').value);
  const days = Math.max(1, Math.floor(Number($('#sim-days').value)) || 1);
  try {
    // Whole days of the programme's calendar: the days back from its midnight, then today so far.
    const zone = (await Api.call('GET', 'admin/programmes/' + code)).timeZone;
    const to = new Date();
    const last = dayIn(to, zone);
    const first = nextDay(last, -days);
    const result = await Api.call('POST', 'admin/programmes/' + code + '/rules/simulate', { version, replayFrom: instantIn(first + 'T00:00', zone), replayTo: to.toISOString() });
    // The version runs: rules said to fail as they ran go (compile errors of the editor's text stay).
    if ($('#rule-errors li.rule-failure')) { $('#rule-errors').replaceChildren(); markErrorLines([]); }
    $('#simulation').classList.remove('hidden');
    $('#sim-totals').textContent = result.transactions + ' transactions: ' + fmt(result.livePoints) + ' points live, ' + fmt(result.draftPoints) + ' with version ' + result.version + ' (' + (result.difference >= 0 ? '+' : '') + fmt(result.difference) + ')';
    $('#sim-tiers').textContent = result.tierChanges.length ? 'Tier would change for: ' + result.tierChanges.map(t => t.memberId + ' ' + t.tierUnderLive + ' → ' + t.tierUnderDraft).join(', ') : 'No member would change tier';
    $('#sim-rows').replaceChildren(...result.outcomes.map(o => el('tr', {}, el('td', {}, o.transactionId || o.receiptId), el('td', {}, o.memberId),
      el('td', { class: 'num' }, fmt(o.livePoints)), el('td', { class: 'num' }, fmt(o.draftPoints)), el('td', { class: 'num' }, fmt(o.difference)))));
    drawChart(result.outcomes, first, last, zone);
  } catch (e) {
    if (ruleFailed(e, version, 'simulated')) $('#simulation').classList.add('hidden'); else fail(e);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Points per day of the programme's calendar (its time zone), live against the draft, from the first day to the
 * last: a day without sales is there, at zero. The days along the bottom, the points up the side.
 */
function drawChart(outcomes, first, last, zone) {
  const days = [];
  for (let day = first; day <= last; day = nextDay(day)) days.push(day);
  const totals = new Map(days.map(day => [day, { live: 0, draft: 0 }]));
  outcomes.forEach(o => { const total = totals.get(dayIn(o.occurredAt, zone)); if (total) { total.live += o.livePoints; total.draft += o.draftPoints; } });
  drawPairs($('#sim-chart'), 600, 200, days.map(day => {
    const total = totals.get(day);
    return { attribute: 'data-day', key: day, first: total.live, second: total.draft,
      title: dayText(day, { weekday: 'short', day: 'numeric', month: 'short' }) + ': ' + fmt(total.live) + ' points live, ' + fmt(total.draft) + ' with the draft',
      label: dayText(day, { day: 'numeric', month: 'short' }) };
  }), 'Day (' + zone + ')');
}

/**
 * Points issued (grey) and redeemed (green) per week of the programme's calendar (from Monday, in its zone), oldest
 * first: the weeks' Mondays along the bottom, the points up the side, each week's figures in its tooltip.
 */
function drawWeeks(weeks, zone) {
  drawPairs($('#weekly-chart'), 700, 220, weeks.map(w => ({ attribute: 'data-week', key: w.week, first: w.issued, second: w.redeemed,
    title: 'Week of ' + dayText(w.week) + ': ' + fmt(w.issued) + ' points issued, ' + fmt(w.redeemed) + ' redeemed',
    label: dayText(w.week, { day: 'numeric', month: 'short' }) })), 'Week from Monday' + (zone ? ' (' + zone + ')' : ''));
}

/**
 * Two bars per slot (grey first, green second) on a points axis in round numbers: each slot's tooltip, and its label
 * along the bottom, one per slot when there is room, else every second, third... slot.
 */
function drawPairs(svg, fallbackWidth, fallbackHeight, slots, bottomTitle) {
  const width = svg.clientWidth || fallbackWidth;
  const height = svg.clientHeight || fallbackHeight;
  const left = 60; const top = 10; const bottom = 40;
  const plot = height - top - bottom;
  const slot = (width - left - 8) / Math.max(1, slots.length);
  const max = roundUp(Math.max(2, ...slots.flatMap(s => [s.first, s.second])));
  const y = points => top + plot - plot * points / max;
  const nodes = [];
  [0, max / 2, max].forEach(tick => nodes.push(svgLine(tick ? 'grid' : 'axis', left, y(tick), width - 8, y(tick)), svgText('y-label', left - 6, y(tick) + 4, fmt(tick), 'end')));
  nodes.push(svgText('axis-title', 12, top + plot / 2, 'points', 'middle', 'rotate(-90 12 ' + (top + plot / 2) + ')'));
  const every = Math.ceil(slots.length * 46 / (width - left));
  slots.forEach((s, i) => {
    const x = left + i * slot;
    const group = document.createElementNS(SVG, 'g');
    group.setAttribute(s.attribute, s.key);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = s.title;
    group.append(title, rect('live', x + 2, y(s.first), slot / 2 - 3, y(0) - y(s.first)), rect('draft', x + slot / 2, y(s.second), slot / 2 - 3, y(0) - y(s.second)));
    nodes.push(group);
    if (i % every === 0) nodes.push(svgText('x-label', x + slot / 2, top + plot + 14, s.label, 'middle', null, s.key));
  });
  nodes.push(svgText('axis-title', left + (width - left) / 2, height - 4, bottomTitle, 'middle'));
  svg.replaceChildren(...nodes);
}

/** The smallest of 1, 2, 4, 5 times a power of ten at or above n (2 or more): the side reads in round numbers. */
function roundUp(n) {
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 4, 5, 10].map(f => f * power).find(v => v >= n);
}

function svgLine(kind, x1, y1, x2, y2) {
  const l = document.createElementNS(SVG, 'line');
  Object.entries({ class: kind, x1, y1, x2, y2 }).forEach(([k, v]) => l.setAttribute(k, v));
  return l;
}

function svgText(kind, x, y, content, anchor, transform, day) {
  const t = document.createElementNS(SVG, 'text');
  Object.entries({ class: kind, x, y, 'text-anchor': anchor }).forEach(([k, v]) => t.setAttribute(k, v));
  if (transform) t.setAttribute('transform', transform);
  if (day) t.setAttribute('data-day', day);
  t.textContent = content;
  return t;
}

function rect(kind, x, y, w, h) {
  const r = document.createElementNS(SVG, 'rect');
  r.setAttribute('class', kind); r.setAttribute('x', x); r.setAttribute('y', y); r.setAttribute('width', Math.max(1, w)); r.setAttribute('height', Math.max(0, h));
  return r;
}

// ---- claims
async function loadClaims() {
  const [claims, stores] = await Promise.all([Api.call('GET', 'admin/programmes/' + programme() + '/claims?status=OPEN'),
    Api.call('GET', 'admin/programmes/' + programme() + '/stores')]);
  const storeName = new Map(stores.map(s => [s.storeId, s.name]));
  $('#claim-rows').replaceChildren(...claims.map(c => {
    const points = el('input', { type: 'number', placeholder: 'by the rules', class: 'short' });
    return el('tr', {}, el('td', {}, c.claimId), el('td', {}, (c.memberName ? c.memberName + ' · ' : '') + c.memberId), el('td', {}, (storeName.has(c.storeId) && storeName.get(c.storeId) !== c.storeId ? storeName.get(c.storeId) + ' (' + c.storeId + ')' : c.storeId) + ' / ' + c.receiptId), el('td', {}, when(c.occurredAt, programmeZone())),
      el('td', { class: 'num' }, c.total), el('td', {}, readOnly() ? '' : [points, ' ', el('button', { onclick: e => resolve(c.claimId, true, points.value === '' ? null : Number(points.value), e.currentTarget) }, 'Accept'), ' ',
        el('button', { class: 'secondary', onclick: e => resolve(c.claimId, false, 0, e.currentTarget) }, 'Reject')]));
  }));
}

async function resolve(id, approve, points, button) {
  const note = approve ? 'Receipt checked' : prompt('Reason the customer will see', 'The receipt was not found');
  if (note === null) return;
  const body = { approve, note };
  if (points !== null && approve) body.points = points;
  // Both decisions of the claim wait for the answer: a double click, or Accept then Reject, decides once.
  const decisions = Array.from(button.parentNode.querySelectorAll('button'));
  if (decisions.some(b => b.disabled)) return;
  decisions.forEach(b => { b.disabled = true; });
  try {
    const resolved = await Api.call('POST', 'admin/claims/' + id + '/resolve', body);
    show('#message', 'Claim ' + (approve ? 'accepted' + (resolved && resolved.pointsCredited != null ? ': ' + fmt(resolved.pointsCredited) + ' points credited to ' + (resolved.memberName || resolved.memberId) : '') : 'rejected'), 'ok');
    await loadClaims();
  } catch (e) { fail(e); } finally { decisions.forEach(b => { b.disabled = false; }); }
}

// ---- customer knowledge
const pct = ratio => (Number(ratio) * 100).toFixed(1) + ' %';
async function loadKnowledge() {
  const base = 'admin/programmes/' + programme();
  const [segments, offers, settings] = await Promise.all([Api.call('GET', base + '/reports/segments'), Api.call('GET', base + '/offers'), Api.call('GET', base + '/knowledge/settings')]);
  $('#segments-date').textContent = segments.computedOn ? 'as of ' + segments.computedOn : 'not computed yet';
  $('#segment-rows').replaceChildren(...segments.segments.map(s => el('tr', {}, el('td', {}, s.segment, s.defined === false ? el('div', { class: 'warn' }, 'no longer defined: its members move at the next recomputation') : ''), el('td', { class: 'num' }, fmt(s.members)), el('td', { class: 'num' }, s.averageVisits),
    el('td', { class: 'num' }, s.averageBasket), el('td', { class: 'num' }, fmt(s.spend)), el('td', { class: 'num' }, s.averageAttritionRisk),
    el('td', {}, s.members && s.defined !== false && !readOnly() ? el('button', { class: 'secondary', onclick: () => { $('#camp-segment').value = s.segment; $('#camp-export').focus(); } }, 'Campaign') : ''))));
  $('#offer-rows').replaceChildren(...offers.map(o => el('tr', { 'data-offer': o.code }, el('td', {}, o.code + (o.active ? '' : ' (withdrawn)'), o.namedByLiveRules ? '' : el('div', { class: 'warn', title: 'An incentive rule gives an offer by naming its code, e.g. OfferDefinition( code == "' + o.code + '" ); a rule that gives any offer without naming it is not seen' }, 'No live rule names it')), el('td', {}, o.title),
    el('td', {}, o.kind === 'BONUS_POINTS' ? fmt(o.points) + ' points' + (Number(o.minimumSpend) > 0 ? ' from ' + o.minimumSpend : '') : 'x' + o.multiplier + ' on ' + (o.category || 'their favourite category')),
    el('td', { class: 'num' }, o.validDays), el('td', { class: 'num' }, o.holdoutPercent + ' % (' + fmt(o.heldOut) + ')'), el('td', { class: 'num' }, fmt(o.open)), el('td', { class: 'num' }, fmt(o.used)),
    el('td', { class: 'response' }, el('button', { class: 'secondary', onclick: event => offerResponse(o.code, event.target.parentNode) }, 'Measure')),
    el('td', {}, readOnly() ? '' : el('button', { class: 'secondary', onclick: () => offerActive(o.code, !o.active) }, o.active ? 'Withdraw' : 'Reinstate')))));
  $('#s-segments').value = settings.segments; $('#s-new').value = settings.newMemberDays; $('#s-cap').value = settings.maxOpenOffers;
  $('#camp-segment').replaceChildren(el('option', { value: '' }, 'all members'), ...settings.segmentNames.map(name => el('option', { value: name }, name)));
  if (!$('#k-to').value) { const today = dayIn(new Date().toISOString(), programmeZone()); $('#k-to').value = today; $('#k-from').value = nextDay(today, -90); }
  ['#recompute', '#offer-form button', '#settings-form button', '#import-file'].forEach(s => { if ($(s)) $(s).disabled = readOnly(); });
}

async function offerResponse(code, cell) {
  try {
    const r = await Api.call('GET', 'admin/programmes/' + programme() + '/reports/offers/' + code);
    cell.replaceChildren(fmt(r.givenBought) + ' of ' + fmt(r.given) + ' bought (' + pct(r.responseRate) + '), ' + fmt(r.used) + ' used; control ' + fmt(r.heldOutBought) + ' of ' + fmt(r.heldOut)
      + ' (' + pct(r.controlResponseRate) + ')' + (r.uplift == null ? '' : ', uplift ' + (Number(r.uplift) * 100).toFixed(1) + ' points'));
  } catch (e) { fail(e); }
}

async function offerActive(code, active) {
  try { await Api.call('POST', 'admin/programmes/' + programme() + '/offers/' + code + '/' + (active ? 'reinstate' : 'withdraw'), {}); await loadKnowledge(); } catch (e) { fail(e); }
}

async function measure() {
  const base = 'admin/programmes/' + programme() + '/reports/';
  const period = '?from=' + $('#k-from').value + '&to=' + $('#k-to').value;
  const [attrition, activity, migrations] = await Promise.all([Api.call('GET', base + 'attrition' + period), Api.call('GET', base + 'activity' + period), Api.call('GET', base + 'migrations' + period)]);
  $('#k-kpis').classList.remove('hidden');
  $('#kpi-attrition').textContent = pct(attrition.rate);
  $('#kpi-attrition-detail').textContent = fmt(attrition.lost) + ' of ' + fmt(attrition.activeAtStart) + ' active members lost';
  $('#kpi-repurchase').textContent = pct(activity.repurchaseRate);
  $('#kpi-repurchase-detail').textContent = fmt(activity.repeatBuyers) + ' of ' + fmt(activity.buyers) + ' buyers came back';
  $('#kpi-breakage').textContent = pct(activity.redemptionRate) + ' · ' + pct(activity.breakageRate);
  $('#kpi-breakage-detail').textContent = fmt(activity.pointsIssued) + ' issued, ' + fmt(activity.pointsRedeemed) + ' redeemed, ' + fmt(activity.pointsExpired) + ' expired, ' + fmt(activity.pointsReversed) + ' taken back';
  const cells = migrations.matrix.cells;
  const columns = Object.keys(Object.values(cells)[0]);
  $('#matrix-title').classList.remove('hidden');
  $('#matrix').replaceChildren(el('thead', {}, el('tr', {}, el('th', {}, 'from ↓ / to →'), ...columns.map(c => el('th', { class: 'num' }, c)))),
    el('tbody', {}, ...Object.entries(cells).map(([from, row]) => el('tr', {}, el('th', {}, from), ...columns.map(to => el('td', { class: 'num' + (from === to && row[to] ? ' stay' : row[to] ? ' move' : '') }, row[to] ? fmt(row[to]) : '·'))))));
}

function clearMerge() {
  mergePair = null;
  $('#merge-sides').classList.add('hidden'); $('#merge-confirm').classList.add('hidden');
  $('#merge-keep').textContent = ''; $('#merge-dup').textContent = '';
}

function fullName(record) {
  return record.account.firstName + ' ' + record.account.lastName;
}

async function findDuplicates() {
  const pairs = await Api.call('GET', 'admin/programmes/' + programme() + '/members/duplicates');
  $('#duplicate-rows').replaceChildren(...(pairs.length ? pairs.map(p => el('tr', {}, el('td', {}, p.first.name + ' · ' + (p.first.email || '') + ' · ' + p.first.memberId),
    el('td', {}, p.second.name + ' · ' + (p.second.email || '') + ' · ' + p.second.memberId), el('td', {}, p.reasons.join('; ')),
    el('td', {}, readOnly() ? '' : el('button', { class: 'secondary', onclick: () => compareDuplicate(p) }, 'Compare')))) : [el('tr', {}, el('td', {}, 'No candidate duplicates'))]));
}

async function compareDuplicate(pair) {
  view('members', false);
  await openMember(pair.first.memberId);
  $('#merge-from').value = pair.second.memberId;
  $('#merge-compare').click();
}

// ---- reports, POS keys, audit
async function loadReports() {
  const d = await Api.call('GET', 'admin/programmes/' + programme() + '/reports/dashboard?weeks=12');
  $('#kpi-members').textContent = fmt(d.members);
  $('#kpi-active').textContent = fmt(d.activeMembers) + ' bought in the last 90 days';
  $('#kpi-outstanding').textContent = fmt(d.outstandingPoints);
  $('#kpi-liability').textContent = 'worth ' + d.liability + ' ' + d.currency;
  $('#kpi-rate').textContent = d.redemptionRate + ' %';
  drawWeeks(d.weeks, programmeZone());
  $('#week-rows').replaceChildren(...d.weeks.slice().reverse().map(w => el('tr', { 'data-week': w.week }, el('td', {}, dayElement(w.week)),
    el('td', { class: 'num' }, fmt(w.issued)), el('td', { class: 'num' }, fmt(w.redeemed)), el('td', { class: 'num' }, fmt(w.expired)), el('td', { class: 'num' }, fmt(w.reversed)))));
  $('#tier-rows').replaceChildren(...Object.entries(d.membersPerTier).map(([tier, count]) => el('tr', {}, el('td', {}, tier), el('td', { class: 'num' }, fmt(count)))));
}

async function loadKeys() {
  const keys = await Api.call('GET', 'admin/programmes/' + programme() + '/pos-keys');
  $('#key-rows').replaceChildren(...keys.map(k => el('tr', {}, el('td', {}, '#' + k.keyId), el('td', {}, k.storeId), el('td', {}, k.label || ''),
    el('td', {}, when(k.issuedAt, programmeZone())), el('td', {}, when(k.revokedAt, programmeZone())),
    el('td', {}, k.revokedAt || readOnly() ? '' : el('button', { class: 'secondary', onclick: () => revokeKey(k.keyId) }, 'Revoke')))));
  await loadStores();
}

async function loadStores() {
  const stores = await Api.call('GET', 'admin/programmes/' + programme() + '/stores');
  $('#store-rows').replaceChildren(...stores.map(s => el('tr', {}, el('td', {}, s.storeId), el('td', {}, s.name), el('td', { class: 'num' }, fmt(s.workingKeys)))));
  $('#store-ids').replaceChildren(...stores.map(s => el('option', { value: s.storeId }, s.name)));
}

async function revokeKey(id) {
  if (!confirm('Revoke key #' + id + '? Its tills stop working.')) return;
  try { await Api.call('POST', 'admin/programmes/' + programme() + '/pos-keys/' + id + '/revoke', {}); show('#message', 'Key revoked', 'ok'); await loadKeys(); } catch (e) { fail(e); }
}

async function loadAudit() {
  const events = await Api.call('GET', 'admin/programmes/' + programme() + '/audit');
  $('#audit-rows').replaceChildren(...events.map(e => el('tr', {}, el('td', {}, when(e.at, programmeZone())), el('td', {}, e.actor), el('td', {}, e.action), el('td', {}, e.subject), el('td', {}, e.detail || ''))));
  const runs = await Api.call('GET', 'admin/jobs?limit=50');
  const toTheSecond = iso => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: programmeZone() });
  $('#job-rows').replaceChildren(...runs.map(r => el('tr', {}, el('td', {}, r.job), el('td', {}, toTheSecond(r.period)), el('td', {}, r.instance),
    el('td', {}, toTheSecond(r.startedAt)), el('td', { class: 'num' }, r.finishedAt ? took(r.startedAt, r.finishedAt) : ''),
    el('td', { class: r.outcome === 'FAILED' || r.outcome === 'ABANDONED' ? 'error' : '' }, r.outcome), el('td', {}, r.detail || ''))));
}

/** The engine's backups (embedded Derby), for its administrator only. */
async function loadBackups() {
  const admin = Api.role() === 'ADMIN';
  $('#backups-panel').classList.toggle('hidden', !admin);
  if (!admin) return;
  const backups = await Api.call('GET', 'admin/backups');
  $('#backup-rows').replaceChildren(...backups.map(b => el('tr', {}, el('td', {}, b.name), el('td', {}, when(b.takenAt, programmeZone())),
    el('td', { class: 'num' }, megabytes(b.bytes)), el('td', {}, b.folder))));
}

function megabytes(bytes) { return bytes < 0 ? '' : (bytes / 1e6).toFixed(1) + ' MB'; }

/** How long a run took, from its start and end times. */
function took(from, to) {
  const ms = new Date(to) - new Date(from);
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

document.addEventListener('DOMContentLoaded', () => {
  Api.onSignedOut = signedOut;
  $('#programme').addEventListener('change', programmeChanged);
  $('#sign-in-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const session = await Api.signIn($('#email').value, $('#password').value);
      if (!['MANAGER', 'ADMIN', 'AUDITOR'].includes(session.role)) { Api.signOut(); throw new Error('This back office is for programme staff'); }
      signedIn();
    } catch (e) { fail(e); }
  });
  $('#sign-out').addEventListener('click', () => {
    if (rulesDirty() && !confirm('The changes in the rule editor are not saved: sign out and lose them?')) return;
    signingOut = true;
    logOutAndReload($('#sign-out'));
  });
  $('#my-password-button').addEventListener('click', () => { clearPasswordForm(); view('my-password'); $('#pw-current').focus(); });
  passwordForm('admin/me/password');
  document.querySelectorAll('#nav button').forEach(b => b.addEventListener('click', () => view(b.dataset.view)));
  $('#merge-compare').addEventListener('click', async () => {
    clearMerge();
    const keepId = memberId, fromId = $('#merge-from').value.trim();
    try {
      const keep = await Api.call('GET', 'admin/members/' + keepId);
      const dup = await Api.call('GET', 'admin/members/' + fromId);
      // Another member opened, or the id changed, while the two loaded: this comparison is not the one on screen.
      if (keepId !== memberId || fromId !== $('#merge-from').value.trim()) return;
      $('#merge-keep').textContent = summary(keep); $('#merge-dup').textContent = summary(dup);
      $('#merge-sides').classList.remove('hidden'); $('#merge-confirm').classList.toggle('hidden', readOnly());
      mergePair = { keep: keepId, from: fromId, keepName: fullName(keep), fromName: fullName(dup) };
    } catch (e) { fail(e); }
  });
  // An id typed after the comparison is compared again before any merge.
  $('#merge-from').addEventListener('input', clearMerge);
  $('#merge-confirm').addEventListener('click', async () => {
    const pair = mergePair;
    if (!pair || pair.keep !== memberId) { clearMerge(); return; }
    if (!confirm('Merge ' + pair.fromName + ' (' + pair.from + ') into ' + pair.keepName + ' (' + pair.keep + ')?'
      + ' Their points and cards move to ' + pair.keepName + '. This cannot be undone.')) return;
    try {
      const merged = await Api.call('POST', 'admin/members/' + pair.keep + '/merge', { from: pair.from });
      show('#message', pair.fromName + ' merged into ' + pair.keepName + ': ' + fmt(merged.pointsTransferred) + ' points and ' + merged.cardsMoved.length + ' card(s) moved', 'ok');
      clearMerge(); $('#merge-from').value = '';
      if (memberId === pair.keep) await openMember(pair.keep);
    } catch (e) { fail(e); }
  });
  $('#programme-form').addEventListener('submit', async event => {
    event.preventDefault();
    try { await Api.call('PUT', 'admin/programmes/' + programme(), { name: $('#p-name').value, currency: $('#p-currency').value.trim().toUpperCase(), timeZone: $('#p-zone').value.trim(), pointsExpireAfterDays: Number($('#p-expire').value), pendingDays: Number($('#p-pending').value), pointValue: $('#p-value').value, tierWindowDays: Number($('#p-window').value), maxSaleTotal: $('#p-most').value.trim() || '0' }); show('#message', 'Terms saved', 'ok'); await loadProgramme(); await loadProgrammes(); } catch (e) { failIn($('#programme-form'), e); }
  });
  $('#tier-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const added = await Api.call('POST', 'admin/programmes/' + programme() + '/tiers', { code: $('#t-code').value, name: $('#t-name').value || null, minimumPoints: Number($('#t-min').value), benefits: $('#t-benefits').value || null });
      const tier = $('#t-code').value.trim().toUpperCase();
      const named = await tiersNamedByLiveRules(added.code);
      show('#message', 'Tier ' + tier + ' added' + (named && !named.has(tier) ? '; no live rule names it yet: its members earn no bonus of their own (they may earn less than the tier below) until a published earning rule does (MemberProfile( tier == "' + tier + '" ))' : ''), named && !named.has(tier) ? 'warn' : 'ok');
      $('#tier-form').reset(); await loadProgramme();
    } catch (e) { failIn($('#tier-form'), e); }
  });
  $('#reward-form').addEventListener('submit', async event => {
    event.preventDefault();
    const body = { rewardId: $('#w-id').value, name: $('#w-name').value, points: Number($('#w-points').value) };
    if ($('#w-tier').value.trim()) body.tier = $('#w-tier').value.trim();
    if ($('#w-stock').value.trim()) body.stock = Number($('#w-stock').value);
    if ($('#w-from').value) body.validFrom = $('#w-from').value;
    if ($('#w-until').value) body.validUntil = $('#w-until').value;
    try { await Api.call('POST', 'admin/programmes/' + programme() + '/rewards', body); show('#message', 'Reward added', 'ok'); $('#reward-form').reset(); await loadProgramme(); } catch (e) { failIn($('#reward-form'), e); }
  });
  $('#upload').addEventListener('change', async () => {
    const file = $('#upload').files[0];
    if (!file) return;
    const text = await file.text();
    const path = (file.name.toLowerCase().endsWith('.csv') ? 'earning/' : 'earning/') + file.name.replace(/[^A-Za-z0-9_.-]/g, '-');
    const existing = files.findIndex(f => f.path === path);
    if (existing >= 0) { files[existing].content = text; selectFile(existing); }
    else { files.push({ path, content: text }); $('#rule-file').append(el('option', { value: files.length - 1 }, path)); selectFile(files.length - 1); }
    $('#source').value = text; renderGutter(); previewTable();
  });
  $('#search-form').addEventListener('submit', async event => {
    event.preventDefault();
    if ($('#search-name').value.trim() && !$('#search-card').value.trim() && !$('#search-email').value.trim()) {
      try {
        const found = await Api.call('GET', 'admin/programmes/' + programme() + '/members/search?name=' + encodeURIComponent($('#search-name').value.trim()));
        $('#search-results').replaceChildren(...found.map(m => el('tr', {}, el('td', {}, el('a', { href: '#', onclick: e => { e.preventDefault(); openMember(m.memberId).catch(fail); } }, m.firstName + ' ' + m.lastName)),
          el('td', {}, m.email || ''), el('td', {}, m.phone || ''), el('td', {}, m.tier), el('td', {}, m.status))));
        if (!found.length) show('#message', 'No member found', 'error');
      } catch (e) { fail(e); }
      return;
    }
    const card = typedCard($('#search-card').value);
    const query = card ? 'card=' + encodeURIComponent(card) : 'email=' + encodeURIComponent($('#search-email').value.trim());
    try { const record = await Api.call('GET', 'admin/programmes/' + programme() + '/members?' + query); await openMember(record.account.memberId); } catch (e) { fail(e); }
  });
  // A new value typed is a new adjustment, with a new key; the same form sent again (a retry) keeps its key.
  $('#adjust-form').addEventListener('input', () => { adjustKey = null; });
  $('#adjust-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#adjust'), async () => {
      if (!adjustKey) adjustKey = newKey();
      clearBox('#adjust-message');
      const member = memberId;
      let adjusted;
      try {
        adjusted = await Api.call('POST', 'admin/members/' + member + '/adjustments', { points: Number($('#adjust-points').value), reason: $('#adjust-reason').value,
          allowNegative: $('#adjust-negative').checked }, undefined, { 'Idempotency-Key': adjustKey });
      } catch (e) {
        if (member !== memberId) { fail(e); return; }
        failIn($('#adjust-form'), e, '#adjust-message');
        if (e.body && e.body.error === 'insufficient_points') $('#adjust-message').append(' Tick "allow a negative balance" to debit them all the same.');
        return;
      }
      adjustKey = null;
      // Another member opened meanwhile: the answer is the first one's, not to be written beside the second.
      if (member !== memberId) { show('#message', fmt(adjusted.points) + ' points adjusted for ' + member, 'ok'); return; }
      $('#adjust-points').value = ''; $('#adjust-reason').value = ''; $('#adjust-negative').checked = false;
      // Said beside the form: the top of the page is out of sight on a phone. A reload that fails after it is said
      // at the top: the adjustment was recorded, and must not look refused (typed again, it would be made twice).
      say('#adjust-message', fmt(adjusted.points) + ' points adjusted' + (adjusted.replay ? ' (once: it had been recorded already)' : ''), 'ok');
      await openMember(member).catch(fail);
    });
  });
  $('#tier-set-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#tier-set-button'), async () => {
      clearBox('#tier-set-message');
      const member = memberId;
      let set;
      try {
        set = await Api.call('POST', 'admin/members/' + member + '/tier', { tier: $('#tier-set').value, reason: $('#tier-set-reason').value });
      } catch (e) {
        if (member !== memberId) { fail(e); return; }
        failIn($('#tier-set-form'), e, '#tier-set-message');
        return;
      }
      if (member !== memberId) { show('#message', member + ' set from ' + set.before + ' to ' + set.tier, 'ok'); return; }
      $('#tier-set-reason').value = '';
      say('#tier-set-message', 'Set from ' + set.before + ' to ' + set.tier + '; their ' + fmt(set.qualifyingPoints) + ' qualifying points reach ' + set.reaches
        + (set.reaches !== set.tier ? ': their next purchase or qualifying credit may change it again' : ''), set.reaches === set.tier ? 'ok' : 'warn');
      await openMember(member).catch(fail);
    });
  });
  $('#source').addEventListener('input', () => { renderGutter(); previewTable(); });
  $('#source').addEventListener('scroll', () => { $('#gutter').scrollTop = $('#source').scrollTop; $('#highlight').scrollTop = $('#source').scrollTop; $('#highlight').scrollLeft = $('#source').scrollLeft; });
  $('#rule-file').addEventListener('change', () => selectFile(Number($('#rule-file').value)));
  $('#remove-file').addEventListener('click', () => {
    const file = files[currentFile];
    if (!file || !confirm('Take ' + file.path + ' out of the rule set? The draft you save next will not have it (the versions saved keep it).')) return;
    files.splice(currentFile, 1);
    currentFile = -1;
    listFiles(0);
  });
  // Asked whenever the editor holds unsaved work, a session that ended included (the edit is still on the page),
  // except after Sign out, which asked already.
  window.addEventListener('beforeunload', event => {
    if (!signingOut && rulesDirty()) { event.preventDefault(); event.returnValue = ''; }
  });
  $('#add-file').addEventListener('click', () => {
    const path = $('#new-file').value.trim();
    if (!path) return;
    files.push({ path, content: '' });
    $('#rule-file').append(el('option', { value: files.length - 1 }, path));
    selectFile(files.length - 1);
  });
  $('#save-rules').addEventListener('click', saveRules);
  $('#csv').addEventListener('click', async () => {
    try { const link = el('a', { href: await Api.blob('admin/programmes/' + programme() + '/reports/weekly.csv?weeks=12'), download: programme() + '-weekly.csv' }); document.body.append(link); link.click(); link.remove(); } catch (e) { fail(e); }
  });
  $('#take-backup').addEventListener('click', async () => {
    $('#take-backup').disabled = true;
    try {
      const taken = await Api.call('POST', 'admin/backups', {});
      show('#message', 'Backup ' + taken.name + ' taken: ' + megabytes(taken.bytes) + ' in ' + took(0, taken.millis), 'ok');
      await loadBackups();
    } catch (e) { fail(e); } finally { $('#take-backup').disabled = false; }
  });
  $('#store-form').addEventListener('submit', async event => {
    event.preventDefault();
    const form = $('#store-form');
    try {
      const store = await Api.call('PUT', 'admin/programmes/' + programme() + '/stores/' + encodeURIComponent($('#store-id').value.trim()), { name: $('#store-name').value.trim() });
      form.reset();
      show('#message', 'Store ' + store.storeId + ' is ' + store.name + ' for customers', 'ok');
      await loadStores();
    } catch (e) { failIn(form, e); }
  });
  $('#key-form').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const issued = await Api.call('POST', 'admin/programmes/' + programme() + '/pos-keys', { storeId: $('#key-store').value, label: $('#key-label').value });
      $('#new-key').textContent = 'New key for store ' + issued.storeId + ' (shown once, copy it now): ' + issued.key;
      $('#new-key').classList.remove('hidden');
      await loadKeys();
    } catch (e) { fail(e); }
  });
  $('#recompute').addEventListener('click', async () => {
    try {
      const run = await Api.call('POST', 'admin/programmes/' + programme() + '/knowledge/recompute', {});
      show('#message', fmt(run.members) + ' members scored in ' + fmt(run.millis) + ' ms; ' + fmt(run.offers.granted) + ' offers given, ' + fmt(run.offers.heldOut) + ' held out as control', 'ok');
      await loadKnowledge();
    } catch (e) { fail(e); }
  });
  $('#k-measure').addEventListener('click', () => measure().catch(fail));
  $('#offer-form').addEventListener('submit', async event => {
    event.preventDefault();
    const kind = $('#o-kind').value; const amount = Number($('#o-points').value);
    const body = { code: $('#o-code').value, title: $('#o-title').value, kind, minimumSpend: $('#o-min').value || '0', validDays: Number($('#o-days').value), holdoutPercent: Number($('#o-holdout').value) };
    if (kind === 'BONUS_POINTS') body.points = amount; else body.multiplier = amount;
    if ($('#o-category').value.trim()) body.category = $('#o-category').value.trim();
    try {
      const offer = await Api.call('POST', 'admin/programmes/' + programme() + '/offers', body);
      show('#message', 'Offer ' + offer.code + ' defined' + (offer.namedByLiveRules ? '' : '; no live rule names it yet: members get it once a published incentive rule does (OfferDefinition( code == "' + offer.code + '" ))'), offer.namedByLiveRules ? 'ok' : 'warn');
      await loadKnowledge();
    } catch (e) { fail(e); }
  });
  $('#settings-form').addEventListener('submit', async event => {
    event.preventDefault();
    try { await Api.call('PUT', 'admin/programmes/' + programme() + '/knowledge/settings', { segments: $('#s-segments').value, newMemberDays: Number($('#s-new').value), maxOpenOffers: Number($('#s-cap').value) }); show('#message', 'Definitions saved: they apply from the next recomputation', 'ok'); await loadKnowledge(); } catch (e) { fail(e); }
  });
  $('#import-file').addEventListener('change', async () => {
    const file = $('#import-file').files[0];
    if (!file) return;
    try {
      const report = await Api.call('POST', 'admin/programmes/' + programme() + '/members/import', await file.text(), 'text/csv');
      $('#import-summary').textContent = fmt(report.imported) + ' of ' + fmt(report.rows) + ' rows imported, ' + fmt(report.rejected.length) + ' rejected, ' + fmt(report.duplicates.length) + ' possible duplicate(s)';
      $('#import-rejected').replaceChildren(...report.rejected.map(r => el('tr', { class: 'error' }, el('td', {}, 'line ' + r.line), el('td', {}, r.field || ''), el('td', {}, r.message))));
      showImportedMembers(report);
      if (report.duplicates.length) await findDuplicates();
    } catch (e) { fail(e); }
  });
  $('#find-duplicates').addEventListener('click', () => findDuplicates().catch(fail));
  $('#camp-export').addEventListener('click', async () => {
    const segment = $('#camp-segment').value; const channel = $('#camp-channel').value;
    try { const link = el('a', { href: await Api.blob('admin/programmes/' + programme() + '/campaigns/export.csv?channel=' + channel + (segment ? '&segment=' + encodeURIComponent(segment) : '')), download: programme() + '-' + (segment || 'all').replace(/ /g, '-') + '-' + channel + '.csv' }); document.body.append(link); link.click(); link.remove(); } catch (e) { fail(e); }
  });
  $('#contact-form').addEventListener('submit', async event => {
    event.preventDefault();
    try { await Api.call('PUT', 'admin/members/' + memberId + '/contact', { postalAddress: $('#c-address').value, consentEmail: $('#c-email').checked, consentSms: $('#c-sms').checked, consentPost: $('#c-post').checked, emailUndeliverable: $('#c-email-bad').checked, postUndeliverable: $('#c-post-bad').checked }); show('#message', 'Contact saved', 'ok'); } catch (e) { fail(e); }
  });
  $('#diff').addEventListener('click', diff);
  $('#simulate').addEventListener('click', simulate);
  if (Api.signedIn() && ['MANAGER', 'ADMIN', 'AUDITOR'].includes(Api.role())) signedIn();
});
