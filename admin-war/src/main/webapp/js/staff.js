// The back office's Staff tab, for the engine's administrators: the staff accounts, a new one, and for the one
// chosen its role and programme, a new password, disabling or enabling it, and the changes made to it.
// It uses the page's helpers (api.js, and fail() of backoffice.js); backoffice.js calls loadStaff() when the tab opens.
'use strict';
// The email of the staff member shown below the list.
let staffMember = null;

const STAFF_ROLES = { MANAGER: 'Programme manager', AUDITOR: 'Auditor', ADMIN: 'Administrator' };

async function loadStaff() {
  const [staff, programmes] = await Promise.all([Api.call('GET', 'admin/staff'), Api.call('GET', 'admin/programmes')]);
  const codes = programmes.map(p => p.code);
  ['#staff-programme', '#staff-member-programme'].forEach(select => fillProgrammes($(select), codes));
  $('#staff-rows').replaceChildren(...staff.map(s => el('tr', { 'data-email': s.email, class: s.status === 'DISABLED' ? 'muted' : '' },
    el('td', {}, s.email), el('td', {}, STAFF_ROLES[s.role] || s.role), el('td', {}, s.programme || 'every programme'),
    el('td', {}, s.status === 'DISABLED' ? 'disabled ' + when(s.disabledAt, programmeZone()) : 'active'),
    el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => openStaffMember(s.email).catch(fail) }, 'Manage')))));
  if (staffMember) {
    const shown = staff.find(s => s.email === staffMember);
    if (shown) showStaffMember(shown); else $('#staff-member').classList.add('hidden');
  }
}

/** The programmes to choose from, "every programme" first; keeps the choice made when it is still there. */
function fillProgrammes(select, codes) {
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'every programme'), ...codes.map(code => el('option', { value: code }, code)));
  if (codes.includes(chosen)) select.value = chosen;
}

async function openStaffMember(email) {
  showStaffMember(await Api.call('GET', 'admin/staff/' + encodeURIComponent(email)));
}

function showStaffMember(member) {
  staffMember = member.email;
  $('#staff-member').classList.remove('hidden');
  $('#staff-member-title').textContent = member.email + (member.status === 'DISABLED' ? ' (disabled)' : '');
  $('#staff-member-role').value = member.role;
  $('#staff-member-programme').value = member.programme || '';
  $('#staff-new-password').value = '';
  $('#staff-disable').textContent = member.status === 'DISABLED' ? 'Enable' : 'Disable';
  loadStaffHistory(member.email).catch(fail);
}

async function loadStaffHistory(email) {
  const events = await Api.call('GET', 'admin/staff/' + encodeURIComponent(email) + '/audit');
  if (email !== staffMember) return;
  $('#staff-history').replaceChildren(...events.map(e => el('tr', {}, el('td', {}, when(e.at, programmeZone())), el('td', {}, e.actor), el('td', {}, e.action), el('td', {}, e.detail || ''))));
}

/** Sends a change of the staff member shown, then shows the list and the member as they are now. */
async function changeStaffMember(path, body, done) {
  const email = staffMember;
  try {
    await Api.call(path === '' ? 'PUT' : 'POST', 'admin/staff/' + encodeURIComponent(email) + path, body);
    show('#message', done(email), 'ok');
    await loadStaff();
  } catch (e) { fail(e); }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#staff-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#staff-create'), async () => {
      const body = { email: $('#staff-email').value.trim(), password: $('#staff-password').value, role: $('#staff-role').value, programme: $('#staff-programme').value || null };
      try {
        const created = await Api.call('POST', 'admin/staff', body);
        $('#staff-email').value = ''; $('#staff-password').value = '';
        show('#message', created.email + ' created: ' + (STAFF_ROLES[created.role] || created.role).toLowerCase() + ' of ' + (created.programme || 'every programme'), 'ok');
        await loadStaff();
      } catch (e) { fail(e); }
    });
  });
  $('#staff-appoint-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#staff-appoint'), () => changeStaffMember('', { role: $('#staff-member-role').value, programme: $('#staff-member-programme').value || null },
      email => email + ' is now ' + (STAFF_ROLES[$('#staff-member-role').value] || '').toLowerCase() + ' of ' + ($('#staff-member-programme').value || 'every programme')));
  });
  $('#staff-password-form').addEventListener('submit', async event => {
    event.preventDefault();
    await once($('#staff-set-password'), () => changeStaffMember('/password', { password: $('#staff-new-password').value },
      email => 'New password set for ' + email + ': give it to them, they change it later'));
  });
  $('#staff-disable').addEventListener('click', async () => {
    const enable = $('#staff-disable').textContent === 'Enable';
    if (!enable && !confirm('Disable ' + staffMember + '? They can no longer sign in, and are signed out at once.')) return;
    await once($('#staff-disable'), () => changeStaffMember(enable ? '/enable' : '/disable', {},
      email => email + (enable ? ' may sign in again' : ' is disabled')));
  });
});
