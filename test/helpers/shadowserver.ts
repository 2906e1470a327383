export { shadowserverCsv } from '../../src/modules/monitoring/shadowserver-csv.ts';
