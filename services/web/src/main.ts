import './styles.css';
import { notice, pageHeader } from './components/bits.js';
import { auditRoles, homePath, markCurrentNav, renderChrome, reviewerRoles, sbomRoles } from './layout.js';
import { api, ApiError, describeError, whenUnauthorized } from './lib/api-client.js';
import { byId, h } from './lib/dom.js';
import { navigate, Router, type Page } from './lib/router.js';
import { currentUser, forget, hasRole, setCurrentUser, storedToken, type Me } from './lib/session.js';
import { auditPage } from './pages/audit-page.js';
import { auditSubjectPage } from './pages/audit-subject-page.js';
import { myRequestsPage } from './pages/my-requests-page.js';
import { requestDetailPage } from './pages/request-detail-page.js';
import { requestFormPage } from './pages/request-form-page.js';
import { reviewDetailPage } from './pages/review-detail-page.js';
import { reviewQueuePage } from './pages/review-queue-page.js';
import { sbomDetailPage } from './pages/sbom-detail-page.js';
import { sbomsPage } from './pages/sboms-page.js';
import { signInPage } from './pages/sign-in-page.js';

const main = byId('main');

const showError = (error: unknown, target: HTMLElement): void => {
  const forbidden = error instanceof ApiError && error.status === 403;
  target.replaceChildren(pageHeader(forbidden ? 'Not allowed' : 'Something went wrong'), notice('error', describeError(error)));
};

const router = new Router(main, () => (currentUser() ? homePath() : '/sign-in'), showError);

/** Pages need a signed-in user, and the roles their API calls need (the API enforces it; this only avoids a dead end). */
const guarded =
  (page: Page, roles?: string[]): Page =>
  (context) => {
    if (!currentUser()) {
      navigate('/sign-in');
      return;
    }
    if (roles && !hasRole(...roles)) {
      context.main.append(pageHeader('Not allowed'), notice('info', `This page is for the roles: ${roles.join(', ')}. You hold: ${currentUser()?.roles.join(', ') ?? 'none'}.`));
      return;
    }
    return page(context);
  };

function signOut(): void {
  // The dashboard cookie dies with the sign-out too; best effort, the token may already be revoked.
  void api('DELETE', '/ui/session').catch(() => undefined);
  forget();
  renderChrome(signOut);
  navigate('/sign-in');
}

whenUnauthorized(() => {
  forget();
  renderChrome(signOut);
  navigate('/sign-in');
});

router
  .add('/sign-in', (context) => {
    if (currentUser()) {
      navigate(homePath());
      return;
    }
    return signInPage(() => {
      renderChrome(signOut);
      navigate(homePath());
    })(context);
  })
  .add('/requests', guarded(myRequestsPage, ['requester']))
  .add('/requests/new', guarded(requestFormPage, ['requester']))
  .add('/requests/:id', guarded(requestDetailPage, ['requester', ...reviewerRoles, 'auditor', 'admin']))
  .add('/requests/:id/resubmit', guarded(requestFormPage, ['requester']))
  .add('/reviews', guarded(reviewQueuePage, reviewerRoles))
  .add('/reviews/:id', guarded(reviewDetailPage, reviewerRoles))
  .add('/sboms', guarded(sbomsPage, sbomRoles))
  .add('/sboms/:id', guarded(sbomDetailPage, sbomRoles))
  .add('/audit', guarded(auditPage, auditRoles))
  .add('/no-pages', guarded(({ main: target }) => {
    target.append(pageHeader('Nothing here for your roles'), h('p', {}, `Your roles (${currentUser()?.roles.join(', ') ?? 'none'}) have no pages in the web UI; the API and the clearance command serve them.`));
  }))
  .add('/audit/subjects/:type/:id', guarded(auditSubjectPage, ['auditor', 'admin', 'ospo', 'compliance', 'legal']));

window.addEventListener('hashchange', markCurrentNav);

// The skip link must not change the hash: that is the router's.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

async function start(): Promise<void> {
  const token = storedToken();
  if (token) {
    try {
      setCurrentUser(await api<Me>('GET', '/me'));
    } catch {
      forget();
    }
  }
  renderChrome(signOut);
  router.start();
}

void start();
