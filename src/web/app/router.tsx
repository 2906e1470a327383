import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client';
import { optionalString } from '../lib/search-params';
import { meQueryKey, meQueryOptions, type Role } from '../features/auth/api';
import { can } from '../features/auth/permissions';
import { ForgotPasswordPage } from '../features/auth/routes/forgot-password-page';
import { LoginPage } from '../features/auth/routes/login-page';
import { SetPasswordPage } from '../features/auth/routes/set-password-page';
import { DashboardPage } from '../features/dashboard/routes/dashboard-page';
import { OrganisationsPage } from '../features/organisations/routes/organisations-page';
import { OrganisationDetailPage } from '../features/organisations/routes/organisation-detail-page';
import { validateOrganisationsSearch, validateOrganisationTab } from '../features/organisations/search';
import { ApprovalsPage } from '../features/assets/routes/approvals-page';
import { AdvisoriesPage } from '../features/advisories/routes/advisories-page';
import { AdvisoryDetailPage } from '../features/advisories/routes/advisory-detail-page';
import { EditAdvisoryPage, NewAdvisoryPage } from '../features/advisories/routes/advisory-editor-pages';
import { validateAdvisoriesSearch, validateAdvisorySearch } from '../features/advisories/search';
import { AlertResponsesPage } from '../features/alert-responses/routes/alert-responses-page';
import { InboxPage } from '../features/inbox/routes/inbox-page';
import { UsersPage } from '../features/users/routes/users-page';
import { TokensPage } from '../features/tokens/routes/tokens-page';
import { AuditPage } from '../features/audit/routes/audit-page';
import { validateAuditSearch } from '../features/audit/search';
import { ProfilePage } from '../features/profile/routes/profile-page';
import { ApiReferencePage } from '../features/api-reference/routes/api-reference-page';
import { IndicatorsPage } from '../features/zdn/routes/indicators-page';
import { IndicatorDetailPage } from '../features/zdn/routes/indicator-detail-page';
import { EventsPage } from '../features/zdn/routes/events-page';
import { EventDetailPage } from '../features/zdn/routes/event-detail-page';
import { validateIndicatorSearch } from '../features/zdn/search';
import { FindingsPage } from '../features/monitoring/routes/findings-page';
import { FindingDetailPage } from '../features/monitoring/routes/finding-detail-page';
import { OverviewPage as MonitoringOverviewPage } from '../features/monitoring/routes/overview-page';
import { ReportsPage as MonitoringReportsPage } from '../features/monitoring/routes/reports-page';
import { ReportDetailPage as MonitoringReportPage } from '../features/monitoring/routes/report-detail-page';
import { SourcesPage as MonitoringSourcesPage } from '../features/monitoring/routes/sources-page';
import { CalendarPage as MonitoringCalendarPage } from '../features/monitoring/routes/calendar-page';
import { validateFindingSearch } from '../features/monitoring/search';
import { IncidentsPage } from '../features/incidents/routes/incidents-page';
import { ReportPage as IncidentReportPage } from '../features/incidents/routes/report-page';
import { CasePage as IncidentCasePage } from '../features/incidents/routes/case-page';
import { DashboardPage as IncidentDashboardPage } from '../features/incidents/routes/dashboard-page';
import { validateCaseSearch, validateIncidentSearch } from '../features/incidents/search';
import { CvdCasesPage } from '../features/cvd/routes/cvd-cases-page';
import { CvdCasePage } from '../features/cvd/routes/cvd-case-page';
import { CvdPartyPage } from '../features/cvd/routes/cvd-party-page';
import { validateCvdCaseSearch, validateCvdSearch } from '../features/cvd/search';
import { CommunityPage } from '../features/community/routes/community-page';
import { CommunitySpacePage } from '../features/community/routes/community-space-page';
import { CommunityThreadPage } from '../features/community/routes/community-thread-page';
import { MeetingsPage } from '../features/meetings/routes/meetings-page';
import { MeetingPage } from '../features/meetings/routes/meeting-page';
import { RequestsPage } from '../features/requests/routes/requests-page';
import { RequestPage } from '../features/requests/routes/request-page';
import { KnowledgePage } from '../features/requests/routes/knowledge-page';
import { KnowledgeArticlePage } from '../features/requests/routes/knowledge-article-page';
import { ChatsPage } from '../features/chat/routes/chats-page';
import { ChatPage } from '../features/chat/routes/chat-page';
import { PublicationsPage } from '../features/publications/routes/publications-page';
import { PublicationPage } from '../features/publications/routes/publication-page';
import { validatePublicationsSearch } from '../features/publications/search';
import { DigestsPage } from '../features/digests/routes/digests-page';
import { DigestPage } from '../features/digests/routes/digest-page';
import { validateDigestSearch, validateDigestsSearch } from '../features/digests/search';
import { IntakePage } from '../features/intake/routes/intake-page';
import { StoryPage as IntakeStoryPage } from '../features/intake/routes/story-page';
import { IntakeSourcesPage } from '../features/intake/routes/sources-page';
import { validateIntakeSearch } from '../features/intake/search';
import { AppLayout } from './app-layout';
import { NotFoundPage, RouteErrorPage, RoutePending } from './route-fallbacks';
import { queryClient, setUnauthenticatedHandler } from './query-client';

interface RouterContext {
  queryClient: QueryClient;
}

/** Only same-origin paths are honoured as post-login targets (no open redirect). */
export function safeRedirect(value: unknown): string | undefined {
  const target = optionalString(value);
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/login')) {
    return undefined;
  }
  return target;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: safeRedirect(search.redirect),
  }),
  beforeLoad: ({ context }) => {
    if (context.queryClient.getQueryData(meQueryKey)) redirect({ to: '/', throw: true });
  },
  component: LoginPage,
});

// Public pages reached from e-mail links; they work whether or not someone is signed in.
const setPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'set-password',
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({
    token: optionalString(search.token),
  }),
  component: SetPasswordPage,
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'forgot-password',
  component: ForgotPasswordPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: async ({ context, location }) => {
    try {
      const user = await context.queryClient.ensureQueryData(meQueryOptions);
      return { user };
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        redirect({ to: '/login', search: { redirect: safeRedirect(location.href) }, throw: true });
      }
      throw error;
    }
  },
  component: AppLayout,
});

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: DashboardPage,
});

const organisationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'organisations',
  validateSearch: validateOrganisationsSearch,
  component: OrganisationsPage,
});

const organisationDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'organisations/$id',
  validateSearch: validateOrganisationTab,
  component: OrganisationDetailPage,
});

const advisoriesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'advisories',
  validateSearch: validateAdvisoriesSearch,
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'advisories:read')) redirect({ to: '/', throw: true });
  },
  component: AdvisoriesPage,
});

const newAdvisoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'advisories/new',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'advisories:write')) redirect({ to: '/advisories', throw: true });
  },
  component: NewAdvisoryPage,
});

// $id is the uuid or the identifier (WP-2026-0042), as the API accepts both.
const advisoryDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'advisories/$id',
  validateSearch: validateAdvisorySearch,
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'advisories:read')) redirect({ to: '/', throw: true });
  },
  component: AdvisoryDetailPage,
});

const editAdvisoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'advisories/$id/edit',
  beforeLoad: ({ context, params }) => {
    if (!can(context.user.role, 'advisories:write')) redirect({ to: '/advisories/$id', params, throw: true });
  },
  component: EditAdvisoryPage,
});

// The CERT's dashboard of the answers to an operational alert.
const alertResponsesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'advisories/$id/responses',
  beforeLoad: ({ context, params }) => {
    if (!can(context.user.role, 'distribution:read')) redirect({ to: '/advisories/$id', params, throw: true });
  },
  component: AlertResponsesPage,
});

const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'inbox',
  component: InboxPage,
});

const approvalsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'approvals',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'assets:decide')) redirect({ to: '/', throw: true });
  },
  component: ApprovalsPage,
});

const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'users',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'users:read')) redirect({ to: '/', throw: true });
  },
  component: UsersPage,
});

const tokensRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'tokens',
  component: TokensPage,
});

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'audit',
  validateSearch: validateAuditSearch,
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'audit:read')) redirect({ to: '/', throw: true });
  },
  component: AuditPage,
});

const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'profile',
  component: ProfilePage,
});

// The detection network (ZDN): indicators of compromise shared under TLP, and their events.
const zdnGuard = ({ context }: { context: { user: { role: Role } } }) => {
  if (!can(context.user.role, 'zdn:read')) redirect({ to: '/', throw: true });
};

const zdnRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'zdn',
  validateSearch: validateIndicatorSearch,
  beforeLoad: zdnGuard,
  component: IndicatorsPage,
});

const zdnIndicatorRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'zdn/indicators/$id',
  beforeLoad: zdnGuard,
  component: IndicatorDetailPage,
});

const zdnEventsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'zdn/events',
  beforeLoad: zdnGuard,
  component: EventsPage,
});

const zdnEventRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'zdn/events/$id',
  beforeLoad: zdnGuard,
  component: EventDetailPage,
});

// Monitoring: findings about the participants' own systems (blacklists, exposed and vulnerable
// systems); the CERT also sees the sector, the reports received and the sources.
const monitoringGuard = ({ context }: { context: { user: { role: Role } } }) => {
  if (!can(context.user.role, 'monitoring:read')) redirect({ to: '/', throw: true });
};
const monitoringCertGuard = ({ context }: { context: { user: { role: Role } } }) => {
  if (!can(context.user.role, 'monitoring:write')) redirect({ to: can(context.user.role, 'monitoring:read') ? '/monitoring' : '/', throw: true });
};

const monitoringRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring',
  validateSearch: validateFindingSearch,
  beforeLoad: monitoringGuard,
  component: FindingsPage,
});

const monitoringFindingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring/findings/$id',
  beforeLoad: monitoringGuard,
  component: FindingDetailPage,
});

const monitoringOverviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring/overview',
  beforeLoad: monitoringCertGuard,
  component: MonitoringOverviewPage,
});

const monitoringReportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring/reports',
  beforeLoad: monitoringCertGuard,
  component: MonitoringReportsPage,
});

const monitoringReportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring/reports/$id',
  beforeLoad: monitoringCertGuard,
  component: MonitoringReportPage,
});

const monitoringSourcesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring/sources',
  beforeLoad: monitoringCertGuard,
  component: MonitoringSourcesPage,
});

const monitoringCalendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'monitoring/calendar',
  beforeLoad: monitoringCertGuard,
  component: MonitoringCalendarPage,
});

// Incidents: the CERT handles every case; a participant reports its own and works in the room of
// its cases, as does a supplier or MSSP invited into one.
const incidentsGuard = ({ context }: { context: { user: { role: Role } } }) => {
  if (!can(context.user.role, 'incidents:read')) redirect({ to: '/', throw: true });
};

const incidentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents',
  validateSearch: validateIncidentSearch,
  beforeLoad: incidentsGuard,
  component: IncidentsPage,
});

const incidentReportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents/report',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'incidents:report')) redirect({ to: can(context.user.role, 'incidents:read') ? '/incidents' : '/', throw: true });
  },
  component: IncidentReportPage,
});

const incidentDashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents/dashboard',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'incidents:write')) redirect({ to: can(context.user.role, 'incidents:read') ? '/incidents' : '/', throw: true });
  },
  component: IncidentDashboardPage,
});

const incidentCaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents/$id',
  validateSearch: validateCaseSearch,
  beforeLoad: incidentsGuard,
  component: IncidentCasePage,
});

// Coordinated vulnerability disclosure. The public form and the finder's private link are served by
// the server under /cvd; in the app the CERT coordinates at /cvd-cases and a party (participant or
// manufacturer) reads its own channel at /cvd-party.
const cvdCasesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'cvd-cases',
  validateSearch: validateCvdSearch,
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'cvd:read')) redirect({ to: '/', throw: true });
  },
  component: CvdCasesPage,
});

const cvdCaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'cvd-cases/$id',
  validateSearch: validateCvdCaseSearch,
  beforeLoad: ({ context, params }) => {
    if (!can(context.user.role, 'cvd:read')) redirect({ to: '/', throw: true });
    if (!can(context.user.role, 'cvd:write')) redirect({ to: '/cvd-party/$id', params, throw: true });
  },
  component: CvdCasePage,
});

const cvdPartyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'cvd-party/$id',
  beforeLoad: ({ context, params }) => {
    if (!can(context.user.role, 'cvd:read')) redirect({ to: '/', throw: true });
    if (can(context.user.role, 'cvd:write')) redirect({ to: '/cvd-cases/$id', params, throw: true });
  },
  component: CvdPartyPage,
});

// Knowledge sharing: community spaces, network meetings, information requests (and their chat),
// publications.
const communityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'community',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'community:read')) redirect({ to: '/', throw: true });
  },
  component: CommunityPage,
});

const communitySpaceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'community/$spaceId',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'community:read')) redirect({ to: '/', throw: true });
  },
  component: CommunitySpacePage,
});

const communityThreadRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'community/threads/$threadId',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'community:read')) redirect({ to: '/', throw: true });
  },
  component: CommunityThreadPage,
});

const meetingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'meetings',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'meetings:read')) redirect({ to: '/', throw: true });
  },
  component: MeetingsPage,
});

const meetingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'meetings/$id',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'meetings:read')) redirect({ to: '/', throw: true });
  },
  component: MeetingPage,
});

const requestsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'requests',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'requests:read')) redirect({ to: '/', throw: true });
  },
  component: RequestsPage,
});

const requestRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'requests/$id',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'requests:read')) redirect({ to: '/', throw: true });
  },
  component: RequestPage,
});

const publicationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'publications',
  validateSearch: validatePublicationsSearch,
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'publications:read')) redirect({ to: '/', throw: true });
  },
  component: PublicationsPage,
});

const publicationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'publications/$id',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'publications:read')) redirect({ to: '/', throw: true });
  },
  component: PublicationPage,
});

// Intake: the CERT's triage of outside information (stories from CSAF, feeds, KEV, EPSS, mail) and its sources.
const intakeGuard = ({ context }: { context: { user: { role: Role } } }) => {
  if (!can(context.user.role, 'intake:read')) redirect({ to: '/', throw: true });
};

const intakeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'intake',
  validateSearch: validateIntakeSearch,
  beforeLoad: intakeGuard,
  component: IntakePage,
});

const intakeSourcesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'intake/sources',
  beforeLoad: intakeGuard,
  component: IntakeSourcesPage,
});

const intakeStoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'intake/$id',
  beforeLoad: intakeGuard,
  component: IntakeStoryPage,
});

// The end-of-week and end-of-month digests: the archive for every reader, the editor for the CERT.
const digestsGuard = ({ context }: { context: { user: { role: Role } } }) => {
  if (!can(context.user.role, 'digests:read')) redirect({ to: '/', throw: true });
};

const digestsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'digests',
  validateSearch: validateDigestsSearch,
  beforeLoad: digestsGuard,
  component: DigestsPage,
});

const digestRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'digests/$id',
  validateSearch: validateDigestSearch,
  beforeLoad: digestsGuard,
  component: DigestPage,
});

const knowledgeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'knowledge',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'publications:read')) redirect({ to: '/', throw: true });
  },
  component: KnowledgePage,
});

const knowledgeArticleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'knowledge/$id',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'publications:read')) redirect({ to: '/', throw: true });
  },
  component: KnowledgeArticlePage,
});

// The secure chat (information requests asked live): the queue and a participant's start, and one chat.
const chatsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'chat',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'requests:read')) redirect({ to: '/', throw: true });
  },
  component: ChatsPage,
});

const chatRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'chat/$id',
  beforeLoad: ({ context }) => {
    if (!can(context.user.role, 'requests:read')) redirect({ to: '/', throw: true });
  },
  component: ChatPage,
});

const apiReferenceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'api-reference',
  component: ApiReferencePage,
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  setPasswordRoute,
  forgotPasswordRoute,
  appRoute.addChildren([
    dashboardRoute,
    organisationsRoute,
    organisationDetailRoute,
    advisoriesRoute,
    newAdvisoryRoute,
    advisoryDetailRoute,
    editAdvisoryRoute,
    alertResponsesRoute,
    inboxRoute,
    approvalsRoute,
    usersRoute,
    tokensRoute,
    auditRoute,
    profileRoute,
    apiReferenceRoute,
    zdnRoute,
    zdnIndicatorRoute,
    zdnEventsRoute,
    zdnEventRoute,
    monitoringRoute,
    monitoringFindingRoute,
    monitoringOverviewRoute,
    monitoringReportsRoute,
    monitoringReportRoute,
    monitoringSourcesRoute,
    monitoringCalendarRoute,
    incidentsRoute,
    incidentReportRoute,
    incidentDashboardRoute,
    incidentCaseRoute,
    cvdCasesRoute,
    cvdCaseRoute,
    cvdPartyRoute,
    communityRoute,
    communitySpaceRoute,
    communityThreadRoute,
    meetingsRoute,
    meetingRoute,
    requestsRoute,
    requestRoute,
    knowledgeRoute,
    knowledgeArticleRoute,
    chatsRoute,
    chatRoute,
    publicationsRoute,
    publicationRoute,
    digestsRoute,
    digestRoute,
    intakeRoute,
    intakeSourcesRoute,
    intakeStoryRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  // Data freshness is TanStack Query's job; the router should not cache route loads itself.
  defaultPreloadStaleTime: 0,
  defaultErrorComponent: RouteErrorPage,
  defaultPendingComponent: RoutePending,
  defaultPendingMs: 300,
  scrollRestoration: true,
});

// A full page load (rather than a router navigation) guarantees that no cached data of the
// expired session survives and that mounted queries cannot refetch in between.
let redirectingToLogin = false;
setUnauthenticatedHandler(() => {
  if (redirectingToLogin) return;
  redirectingToLogin = true;
  const target = safeRedirect(router.state.location.href);
  window.location.assign(target ? `/login?redirect=${encodeURIComponent(target)}` : '/login');
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
