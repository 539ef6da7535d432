import './styles.css';
import { notice, pageHeader } from './components/bits.js';
import { homePath, markCurrentNav, renderChrome } from './layout.js';
import { api, ApiError, describeError, whenUnauthorized } from './lib/api-client.js';
import { byId, h } from './lib/dom.js';
import { navigate, Router, type Page } from './lib/router.js';
import type { LogoutResult } from '@clearance/contract';
import { csrfToken, currentUser, forget, may, setCurrentUser, type Me } from './lib/session.js';
import { auditPage } from './pages/audit-page.js';
import { failedDeliveriesPage } from './pages/failed-deliveries-page.js';
import { auditSubjectPage } from './pages/audit-subject-page.js';
import { myRequestsPage } from './pages/my-requests-page.js';
import { releaseDetailPage } from './pages/release-detail-page.js';
import { releasesPage } from './pages/releases-page.js';
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

/** Pages need a signed-in user who may make the API call the page is built on (the API enforces it; this only avoids a dead end). */
const guarded =
  (page: Page, action?: string): Page =>
  (context) => {
    if (!currentUser()) {
      navigate('/sign-in');
      return;
    }
    if (action && !may(action)) {
      context.main.append(pageHeader('Not allowed'), notice('info', `This page needs ${action}, which your roles do not allow. You hold: ${currentUser()?.roles.join(', ') ?? 'none'}.`));
      return;
    }
    return page(context);
  };

async function signOut(): Promise<void> {
  let endSessionUrl: string | null = null;
  if (csrfToken()) {
    // The server ends the session; the provider ends its own at its end-session page, when it has one.
    endSessionUrl = await api<LogoutResult>('POST', '/auth/logout').then((result) => result.endSessionUrl, () => null);
  } else {
    // The dashboard cookie dies with the sign-out too; best effort, the token may already be revoked.
    void api('DELETE', '/ui/session').catch(() => undefined);
  }
  forget();
  if (endSessionUrl) {
    window.location.assign(endSessionUrl);
    return;
  }
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
  .add('/requests', guarded(myRequestsPage, 'POST /contributions'))
  .add('/requests/new', guarded(requestFormPage, 'POST /contributions'))
  .add('/requests/:id', guarded(requestDetailPage, 'GET /contributions/:id'))
  .add('/requests/:id/resubmit', guarded(requestFormPage, 'POST /contributions/:id/revisions'))
  .add('/reviews', guarded(reviewQueuePage, 'GET /reviews'))
  .add('/reviews/:id', guarded(reviewDetailPage, 'GET /reviews'))
  .add('/sboms', guarded(sbomsPage, 'GET /sboms'))
  .add('/sboms/:id', guarded(sbomDetailPage, 'GET /sboms/:id'))
  .add('/releases', guarded(releasesPage, 'GET /releases'))
  .add('/releases/:id', guarded(releaseDetailPage, 'GET /releases/:id'))
  .add('/audit', guarded(auditPage, 'GET /audit/events'))
  .add('/notifications', guarded(failedDeliveriesPage, 'GET /notifications/failed'))
  .add('/no-pages', guarded(({ main: target }) => {
    target.append(pageHeader('Nothing here for your roles'), h('p', {}, `Your roles (${currentUser()?.roles.join(', ') ?? 'none'}) have no pages in the web UI; the API and the clearance command serve them.`));
  }))
  .add('/audit/subjects/:type/:id', guarded(auditSubjectPage, 'GET /audit/subjects/:type/:id'));

window.addEventListener('hashchange', markCurrentNav);

// The skip link must not change the hash: that is the router's.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

async function start(): Promise<void> {
  // A stored token, or else the sign-in session cookie (which scripts cannot read): /me says which, if any.
  try {
    setCurrentUser(await api<Me>('GET', '/me', { probe: true }));
  } catch {
    forget();
  }
  renderChrome(signOut);
  router.start();
}

void start();
