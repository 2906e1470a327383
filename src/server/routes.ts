import type { AppOptions } from './app.ts';
import type { App } from './http-types.ts';
import { healthRoutes } from '#modules/health/health.routes.ts';
import { authRoutes } from '#modules/identity/auth.routes.ts';
import { meRoutes } from '#modules/identity/me.routes.ts';
import { userRoutes } from '#modules/identity/users.routes.ts';
import { tokenRoutes } from '#modules/identity/tokens.routes.ts';
import { passkeyRoutes } from '#modules/identity/passkey.routes.ts';
import { organisationRoutes } from '#modules/organisations/organisation.routes.ts';
import { assetRoutes } from '#modules/organisations/asset.routes.ts';
import { auditRoutes } from '#modules/audit/audit.routes.ts';
import { documentRoutes } from '#modules/documents/document.routes.ts';
import { advisoryRoutes } from '#modules/advisories/advisory.routes.ts';
import { publicAdvisoryRoutes } from '#modules/advisories/public.routes.ts';
import { realtimeRoutes } from '#modules/realtime/realtime.routes.ts';
import { distributionRoutes } from '#modules/distribution/distribution.routes.ts';
import { publicLinkRoutes } from '#modules/distribution/public-links.routes.ts';
import { notificationRoutes } from '#modules/notifications/notification.routes.ts';
import { zdnRoutes } from '#modules/zdn/zdn.routes.ts';
import { taxiiRoutes } from '#modules/zdn/taxii.routes.ts';
import { mispFeedRoutes } from '#modules/zdn/misp-feed.routes.ts';
import { monitoringRoutes } from '#modules/monitoring/monitoring.routes.ts';
import { incidentRoutes } from '#modules/incidents/incident.routes.ts';
import { evidenceRoutes } from '#modules/incidents/evidence.routes.ts';
import { incidentReportRoutes } from '#modules/incidents/incident-reports.routes.ts';
import { cvdRoutes } from '#modules/cvd/cvd.routes.ts';
import { cvdDisclosureRoutes } from '#modules/cvd/disclosure.routes.ts';
import { publicCvdRoutes } from '#modules/cvd/public-cvd.routes.ts';
import { communityRoutes, communityUploadRoutes } from '#modules/community/community.routes.ts';
import { meetingRoutes } from '#modules/meetings/meeting.routes.ts';
import { intakeRoutes } from '#modules/intake/intake.routes.ts';
import { meetingMaterialRoutes } from '#modules/meetings/material.routes.ts';
import { requestRoutes } from '#modules/requests/request.routes.ts';
import { chatRoutes } from '#modules/chat/chat.routes.ts';
import { publicationRoutes } from '#modules/publications/publication.routes.ts';
import { searchRoutes } from '#modules/search/search.routes.ts';
import { publicPublicationRoutes } from '#modules/publications/public.routes.ts';
import { digestRoutes } from '#modules/digests/digest.routes.ts';

/** Every module's routes, in one list: the map a newcomer reads to find an endpoint. */
export async function registerRoutes(app: App, options: AppOptions): Promise<void> {
  healthRoutes(app, options.services);
  authRoutes(app, options.services);
  meRoutes(app);
  userRoutes(app);
  tokenRoutes(app);
  passkeyRoutes(app, options.services);
  organisationRoutes(app);
  assetRoutes(app);
  auditRoutes(app);
  documentRoutes(app);
  advisoryRoutes(app);
  publicAdvisoryRoutes(app);
  distributionRoutes(app);
  // Its form parser (urlencoded) must not reach the JSON API: an encapsulated plugin of its own.
  await app.register(async (forms) => publicLinkRoutes(forms as App));
  notificationRoutes(app);
  realtimeRoutes(app, options.hub);
  zdnRoutes(app, options.services);
  // TAXII has its own media type, Accept rule and error shape: an encapsulated plugin of its own.
  await app.register(async (taxii) => taxiiRoutes(taxii as App));
  mispFeedRoutes(app);
  monitoringRoutes(app);
  incidentRoutes(app);
  // Evidence uploads are raw streams (application/octet-stream): an encapsulated plugin with its own body parser.
  await app.register(async (evidence) => evidenceRoutes(evidence as App));
  incidentReportRoutes(app);
  cvdRoutes(app);
  cvdDisclosureRoutes(app);
  await app.register(async (cvdPublic) => publicCvdRoutes(cvdPublic as App));
  // Knowledge sharing: the community, network meetings, information requests, publications.
  communityRoutes(app);
  // Attachments are multipart uploads: an encapsulated plugin with its own body parser.
  await app.register(async (uploads) => communityUploadRoutes(uploads as App));
  meetingRoutes(app);
  // Material uploads are multipart: @fastify/multipart is registered inside its own plugin.
  await app.register(async (materials) => meetingMaterialRoutes(materials as App));
  requestRoutes(app);
  // The secure chat speaks WebSocket: @fastify/websocket is registered inside its own plugin.
  await app.register(async (chat) => chatRoutes(chat as App, options.services));
  publicationRoutes(app);
  searchRoutes(app);
  publicPublicationRoutes(app);
  // The end-of-week and end-of-month digests and their archive.
  digestRoutes(app);
  // Intake and triage of outside information.
  intakeRoutes(app);
}
