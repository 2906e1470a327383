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

/** Per language, the parts in the order they are merged (for the tests: no part overrides another). */
export const parts = {
  en: [coreEn, passkeysEn, organisationEditEn, advisoriesEn, distributionEn, alertResponsesEn, inboxEn, zdnEn, monitoringEn, incidentsEn, cvdEn],
  nl: [coreNl, passkeysNl, organisationEditNl, advisoriesNl, distributionNl, alertResponsesNl, inboxNl, zdnNl, monitoringNl, incidentsNl, cvdNl],
} as const;

// The navigation labels are the core file's; monitoring, incidents and CVD bring their own entries (*.nav) along.
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
  nav: { ...coreEn.nav, monitoring: monitoringEn.monitoring.nav, incidents: incidentsEn.incidents.nav, cvd: cvdEn.cvd.nav },
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
  nav: { ...coreNl.nav, monitoring: monitoringNl.monitoring.nav, incidents: incidentsNl.incidents.nav, cvd: cvdNl.cvd.nav },
};
