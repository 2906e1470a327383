// The translation of the interface, assembled from one core file per language plus one file per
// feature (which keeps each file small). Every feature file owns its own top-level keys.
import coreEn from './en.json';
import coreNl from './nl.json';
import advisoriesEn from './advisories/en.json';
import advisoriesNl from './advisories/nl.json';
import alertResponsesEn from './alert-responses/en.json';
import alertResponsesNl from './alert-responses/nl.json';
import distributionEn from './distribution/en.json';
import distributionNl from './distribution/nl.json';
import inboxEn from './inbox/en.json';
import inboxNl from './inbox/nl.json';
import organisationEditEn from './organisation-edit/en.json';
import organisationEditNl from './organisation-edit/nl.json';
import passkeysEn from './passkeys/en.json';
import passkeysNl from './passkeys/nl.json';
import zdnEn from './zdn/en.json';
import zdnNl from './zdn/nl.json';
import monitoringEn from './monitoring/en.json';
import monitoringNl from './monitoring/nl.json';
import incidentsEn from './incidents/en.json';
import incidentsNl from './incidents/nl.json';
import cvdEn from './cvd/en.json';
import cvdNl from './cvd/nl.json';
import communityEn from './community/en.json';
import communityNl from './community/nl.json';
import meetingsEn from './meetings/en.json';
import meetingsNl from './meetings/nl.json';
import requestsEn from './requests/en.json';
import requestsNl from './requests/nl.json';
import publicationsEn from './publications/en.json';
import publicationsNl from './publications/nl.json';
import intakeEn from './intake/en.json';
import intakeNl from './intake/nl.json';
import digestsEn from './digests/en.json';
import digestsNl from './digests/nl.json';
import chatEn from './chat/en.json';
import chatNl from './chat/nl.json';

/** Per language, the parts in the order they are merged (for the tests: no part overrides another). */
export const parts = {
  en: [
    coreEn,
    passkeysEn,
    organisationEditEn,
    advisoriesEn,
    distributionEn,
    alertResponsesEn,
    inboxEn,
    zdnEn,
    monitoringEn,
    incidentsEn,
    cvdEn,
    communityEn,
    meetingsEn,
    requestsEn,
    publicationsEn,
    digestsEn,
    intakeEn,
  ],
  nl: [
    coreNl,
    passkeysNl,
    organisationEditNl,
    advisoriesNl,
    distributionNl,
    alertResponsesNl,
    inboxNl,
    zdnNl,
    monitoringNl,
    incidentsNl,
    cvdNl,
    communityNl,
    meetingsNl,
    requestsNl,
    publicationsNl,
    digestsNl,
    intakeNl,
  ],
} as const;

// The navigation labels are the core file's; monitoring, incidents, CVD and knowledge sharing bring their own entries (*.nav) along.
export const en = {
  ...coreEn,
  ...passkeysEn,
  ...organisationEditEn,
  ...advisoriesEn,
  ...distributionEn,
  ...alertResponsesEn,
  ...inboxEn,
  ...zdnEn,
  ...monitoringEn,
  ...incidentsEn,
  ...cvdEn,
  ...communityEn,
  ...meetingsEn,
  ...requestsEn,
  ...publicationsEn,
  ...digestsEn,
  ...intakeEn,
  ...chatEn,
  nav: {
    ...coreEn.nav,
    monitoring: monitoringEn.monitoring.nav,
    incidents: incidentsEn.incidents.nav,
    cvd: cvdEn.cvd.nav,
    community: communityEn.community.nav,
    meetings: meetingsEn.meetings.nav,
    requests: requestsEn.requests.nav,
    publications: publicationsEn.publications.nav,
    digests: digestsEn.digests.nav,
    intake: intakeEn.intake.nav,
    chat: chatEn.chat.nav,
    knowledge: requestsEn.requests.knowledge.title,
  },
};

// Compile-time guard: Dutch must provide every key English has.
export const nl: typeof en = {
  ...coreNl,
  ...passkeysNl,
  ...organisationEditNl,
  ...advisoriesNl,
  ...distributionNl,
  ...alertResponsesNl,
  ...inboxNl,
  ...zdnNl,
  ...monitoringNl,
  ...incidentsNl,
  ...cvdNl,
  ...communityNl,
  ...meetingsNl,
  ...requestsNl,
  ...publicationsNl,
  ...digestsNl,
  ...intakeNl,
  ...chatNl,
  nav: {
    ...coreNl.nav,
    monitoring: monitoringNl.monitoring.nav,
    incidents: incidentsNl.incidents.nav,
    cvd: cvdNl.cvd.nav,
    community: communityNl.community.nav,
    meetings: meetingsNl.meetings.nav,
    requests: requestsNl.requests.nav,
    publications: publicationsNl.publications.nav,
    digests: digestsNl.digests.nav,
    intake: intakeNl.intake.nav,
    chat: chatNl.chat.nav,
    knowledge: requestsNl.requests.knowledge.title,
  },
};
