/**
 * The Shadowserver report types this platform reads: the columns each one publishes (from the public
 * report schema, see ../shared/testdata/shadowserver/report-columns.md), its RSIT classification, and
 * the finding each row becomes. A column not listed here is kept and flagged as unknown.
 */
import type { Severity } from '#db/schema-monitoring.ts';

export interface ShadowserverReport {
  type: string;
  name: string;
  classification: string;
  finding: string;
  severity: Severity;
  columns: readonly string[];
}

export const SHADOWSERVER_REPORTS: readonly ShadowserverReport[] = [
  {
    type: 'blocklist',
    name: 'Blocklist',
    classification: 'other/blocklist',
    finding: 'blocklisted',
    severity: 'medium',
    columns: 'timestamp severity ip hostname source reason asn geo region city naics sector tag'.split(' '),
  },
  {
    type: 'device_id',
    name: 'Device-Identification IPv4',
    classification: 'other/undetermined',
    finding: 'device-identified',
    severity: 'info',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector device_vendor device_type device_model device_version'.split(
        ' ',
      ),
  },
  {
    type: 'scan_rdp',
    name: 'Accessible-RDP',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-rdp',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector handshake rdp_protocol cert_length subject_common_name issuer_common_name cert_issue_date cert_expiration_date sha1_fingerprint cert_serial_number ssl_version signature_algorithm key_algorithm sha256_fingerprint sha512_fingerprint md5_fingerprint tlsv13_support tlsv13_cipher jarm'.split(
        ' ',
      ),
  },
  {
    type: 'scan6_rdp',
    name: 'IPv6-Accessible-RDP',
    classification: '/',
    finding: 'open-rdp',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector handshake rdp_protocol cert_length subject_common_name issuer_common_name cert_issue_date cert_expiration_date sha1_fingerprint cert_serial_number ssl_version signature_algorithm key_algorithm sha256_fingerprint sha512_fingerprint md5_fingerprint tlsv13_support tlsv13_cipher jarm'.split(
        ' ',
      ),
  },
  {
    type: 'scan_smb',
    name: 'Accessible-SMB',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-smb',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector arch key smb_major_number smb_minor_number smb_revision smb_version_string'.split(
        ' ',
      ),
  },
  {
    type: 'scan_vnc',
    name: 'Accessible-VNC',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-vnc',
    severity: 'high',
    columns: 'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector product banner'.split(' '),
  },
  {
    type: 'scan_http',
    name: 'Accessible-HTTP',
    classification: 'other/other',
    finding: 'accessible-http',
    severity: 'info',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector http http_code http_reason content_type connection www_authenticate set_cookie server content_length transfer_encoding http_date version'.split(
        ' ',
      ),
  },
  {
    type: 'scan_http_vulnerable',
    name: 'Vulnerable-HTTP',
    classification: 'vulnerable/vulnerable-system',
    finding: 'vulnerable-http',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector http http_code http_reason content_type connection www_authenticate set_cookie server content_length transfer_encoding http_date version build_date detail build_branch'.split(
        ' ',
      ),
  },
  {
    type: 'scan_exchange',
    name: 'Vulnerable-Exchange-Server',
    classification: '/',
    finding: 'vulnerable-exchange',
    severity: 'critical',
    columns: 'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version servername url'.split(' '),
  },
  {
    type: 'scan_ics',
    name: 'Accessible-ICS',
    classification: 'vulnerable/vulnerable-system',
    finding: 'exposed-ics',
    severity: 'critical',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector device_vendor device_type device_model device_version device_sector device_id response_size raw_response'.split(
        ' ',
      ),
  },
  {
    type: 'scan_ssl',
    name: 'Accessible-SSL',
    classification: 'other/other',
    finding: 'accessible-ssl',
    severity: 'info',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector handshake cipher_suite ssl_poodle cert_length subject_common_name issuer_common_name cert_issue_date cert_expiration_date sha1_fingerprint cert_serial_number ssl_version signature_algorithm key_algorithm subject_organization_name subject_organization_unit_name subject_country subject_state_or_province_name subject_locality_name subject_street_address subject_postal_code subject_surname subject_given_name subject_email_address subject_business_category subject_serial_number issuer_organization_name issuer_organization_unit_name issuer_country issuer_state_or_province_name issuer_locality_name issuer_street_address issuer_postal_code issuer_surname issuer_given_name issuer_email_address issuer_business_category issuer_serial_number freak_vulnerable freak_cipher_suite sha256_fingerprint sha512_fingerprint md5_fingerprint http_response_type http_code http_reason content_type http_connection www_authenticate set_cookie server_type content_length transfer_encoding http_date cert_valid self_signed cert_expired browser_trusted validation_level browser_error tlsv13_support tlsv13_cipher jarm'.split(
        ' ',
      ),
  },
  {
    type: 'scan_ftp',
    name: 'Accessible-FTP',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-ftp',
    severity: 'medium',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source device_vendor device_type device_model device_version device_sector banner handshake cipher_suite cert_length subject_common_name issuer_common_name cert_issue_date cert_expiration_date sha1_fingerprint cert_serial_number ssl_version signature_algorithm key_algorithm subject_organization_name subject_organization_unit_name subject_country subject_state_or_province_name subject_locality_name subject_street_address subject_postal_code subject_surname subject_given_name subject_email_address subject_business_category subject_serial_number issuer_organization_name issuer_organization_unit_name issuer_country issuer_state_or_province_name issuer_locality_name issuer_street_address issuer_postal_code issuer_surname issuer_given_name issuer_email_address issuer_business_category issuer_serial_number sha256_fingerprint sha512_fingerprint md5_fingerprint cert_valid self_signed cert_expired validation_level auth_tls_response auth_ssl_response tlsv13_support tlsv13_cipher jarm'.split(
        ' ',
      ),
  },
  {
    type: 'scan_telnet',
    name: 'Accessible-Telnet',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-telnet',
    severity: 'high',
    columns: 'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector banner'.split(' '),
  },
  {
    type: 'scan_postgres',
    name: 'Accessible-PostgreSQL',
    classification: 'vulnerable/vulnerable-system',
    finding: 'exposed-database',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version supported_protocols protocol_error_code protocol_error_file protocol_error_line protocol_error_message protocol_error_routine protocol_error_severity protocol_error_severity_v startup_error_code startup_error_file startup_error_line startup_error_message startup_error_routine startup_error_severity startup_error_severity_v client_ssl handshake cipher_suite cert_length subject_common_name issuer_common_name cert_issue_date cert_expiration_date sha1_fingerprint cert_serial_number ssl_version signature_algorithm key_algorithm subject_organization_name subject_organization_unit_name subject_country subject_state_or_province_name subject_locality_name subject_street_address subject_postal_code subject_surname subject_given_name subject_email_address subject_business_category subject_serial_number issuer_organization_name issuer_organization_unit_name issuer_country issuer_state_or_province_name issuer_locality_name issuer_street_address issuer_postal_code issuer_surname issuer_given_name issuer_email_address issuer_business_category issuer_serial_number sha256_fingerprint sha512_fingerprint md5_fingerprint cert_valid self_signed cert_expired validation_level browser_trusted browser_error raw_cert raw_cert_chain'.split(
        ' ',
      ),
  },
  {
    type: 'scan_mysql',
    name: 'Accessible-MySQL',
    classification: 'vulnerable/vulnerable-system',
    finding: 'exposed-database',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version mysql_protocol_version server_version error_code error_id error_message client_can_handle_expired_passwords client_compress client_connect_attrs client_connect_with_db client_deprecated_eof client_found_rows client_ignore_sigpipe client_ignore_space client_interactive client_local_files client_long_flag client_long_password client_multi_results client_multi_statements client_no_schema client_odbc client_plugin_auth client_plugin_auth_len_enc_client_data client_protocol_41 client_ps_multi_results client_reserved client_secure_connection client_session_track client_ssl client_transactions handshake cipher_suite cert_length subject_common_name issuer_common_name cert_issue_date cert_expiration_date sha1_fingerprint cert_serial_number ssl_version signature_algorithm key_algorithm subject_organization_name subject_organization_unit_name subject_country subject_state_or_province_name subject_locality_name subject_street_address subject_postal_code subject_surname subject_given_name subject_email_address subject_business_category subject_serial_number issuer_organization_name issuer_organization_unit_name issuer_country issuer_state_or_province_name issuer_locality_name issuer_street_address issuer_postal_code issuer_surname issuer_given_name issuer_email_address issuer_business_category issuer_serial_number sha256_fingerprint sha512_fingerprint md5_fingerprint cert_valid self_signed cert_expired validation_level browser_trusted browser_error raw_cert raw_cert_chain'.split(
        ' ',
      ),
  },
  {
    type: 'scan_mssql',
    name: 'Open-MSSQL',
    classification: 'vulnerable/vulnerable-system',
    finding: 'exposed-database',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version server_name instance_name tcp_port named_pipe response_size amplification'.split(
        ' ',
      ),
  },
  {
    type: 'scan_elasticsearch',
    name: 'Open-Elasticsearch',
    classification: 'vulnerable/vulnerable-system',
    finding: 'exposed-database',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version ok name cluster_name http_code build_hash build_timestamp build_snapshot lucene_version tagline'.split(
        ' ',
      ),
  },
  {
    type: 'scan_mongodb',
    name: 'Open-MongoDB',
    classification: 'vulnerable/vulnerable-system',
    finding: 'exposed-database',
    severity: 'high',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version gitversion sysinfo opensslversion allocator javascriptengine bits maxbsonobjectsize ok visible_databases'.split(
        ' ',
      ),
  },
  {
    type: 'scan_snmp',
    name: 'Open-SNMP',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-snmp',
    severity: 'medium',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector device_vendor device_type device_model device_version device_sector version sysname sysdesc community response_size amplification uptime mac_address vendor_id vendor'.split(
        ' ',
      ),
  },
  {
    type: 'scan_ntp',
    name: 'NTP-Version',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-ntp',
    severity: 'low',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector version clk_wander clock error frequency jitter leap mintc noise offset peer phase poll precision processor refid reftime rootdelay rootdispersion stability state stratum system tai tc response_size amplification'.split(
        ' ',
      ),
  },
  {
    type: 'scan_dns',
    name: 'DNS-Open-Resolvers',
    classification: 'vulnerable/vulnerable-system',
    finding: 'open-resolver',
    severity: 'medium',
    columns: 'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector dns_version min_amplification'.split(' '),
  },
  {
    type: 'event4_sinkhole',
    name: 'Sinkhole-Events IPv4',
    classification: 'malicious-code/infected-system',
    finding: 'infected-system',
    severity: 'high',
    columns:
      'timestamp protocol src_ip src_port src_asn src_geo src_region src_city src_hostname src_naics src_sector device_vendor device_type device_model severity dst_ip dst_port dst_asn dst_geo dst_region dst_city dst_hostname dst_naics dst_sector public_source infection family tag application version event_id ssl_cipher ssl_servername'.split(
        ' ',
      ),
  },
  {
    type: 'event4_sinkhole_http',
    name: 'Sinkhole-Events-HTTP IPv4',
    classification: 'malicious-code/infected-system',
    finding: 'infected-system',
    severity: 'high',
    columns:
      'timestamp protocol src_ip src_port src_asn src_geo src_region src_city src_hostname src_naics src_sector device_vendor device_type device_model severity dst_ip dst_port dst_asn dst_geo dst_region dst_city dst_hostname dst_naics dst_sector public_source infection family tag application version event_id http_url http_host http_agent forwarded_by ssl_cipher http_referer ssl_servername machine_name'.split(
        ' ',
      ),
  },
  {
    type: 'event4_honeypot_brute_force',
    name: 'Honeypot-Brute-Force-Events',
    classification: 'intrusion-attempts/brute-force',
    finding: 'brute-force-source',
    severity: 'medium',
    columns:
      'timestamp protocol src_ip src_port src_asn src_geo src_region src_city src_hostname src_naics src_sector device_vendor device_type device_model severity dst_ip dst_port dst_asn dst_geo dst_region dst_city dst_hostname dst_naics dst_sector public_source infection family tag application version event_id service start_time end_time client_version username password payload_url payload_md5 vulnerability_enum vulnerability_id vulnerability_class vulnerability_score vulnerability_severity vulnerability_version target_vendor target_product target_class'.split(
        ' ',
      ),
  },
  {
    type: 'compromised_website',
    name: 'Compromised-Website',
    classification: 'intrusions/system-compromise',
    finding: 'compromised-website',
    severity: 'critical',
    columns:
      'timestamp severity ip protocol port hostname tag asn geo region city naics hostname_source sector application url http_host category system detected_since server redirect_target cc_url family status account detail public_source'.split(
        ' ',
      ),
  },
  {
    type: 'sandbox_url',
    name: 'Sandbox-URL',
    classification: 'malicious-code/malware-distribution',
    finding: 'malware-url',
    severity: 'high',
    columns: 'timestamp severity ip asn geo md5 url user_agent hostname method naics sector region city port sha1 sha256'.split(' '),
  },
  {
    type: 'ransomware_victim',
    name: 'Ransomware-victim',
    classification: 'intrusions/system-compromise',
    finding: 'ransomware-victim',
    severity: 'critical',
    columns: 'timestamp entity_name website geo region sector date_published ransomware leak_site_url severity actor_geo_stats_30d actor_total_stats_30d'.split(
      ' ',
    ),
  },
];
