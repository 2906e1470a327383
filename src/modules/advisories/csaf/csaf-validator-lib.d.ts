/**
 * Types for @secvisogram/csaf-validator-lib 2.0.10, which ships JavaScript without declarations.
 * Only the modules and exports that Wachtpost uses are declared.
 */

declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface CsafLibMessage {
    message: string;
    instancePath: string;
  }
  export interface CsafLibTestOutput {
    isValid?: boolean;
    errors?: CsafLibMessage[];
    warnings?: CsafLibMessage[];
    infos?: CsafLibMessage[];
  }
  export type CsafLibTest = (doc: unknown) => CsafLibTestOutput | Promise<CsafLibTestOutput>;
  export interface CsafLibTestResult {
    name: string;
    isValid: boolean;
    errors: CsafLibMessage[];
    warnings: CsafLibMessage[];
    infos: CsafLibMessage[];
  }
  /** Runs the given tests against the document, in order. */
  export default function validate(tests: CsafLibTest[], doc: unknown): Promise<{ isValid: boolean; tests: CsafLibTestResult[] }>;
}

declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { CsafLibTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_0: CsafLibTest;
  export const csaf_2_0_strict: CsafLibTest;
}

declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { CsafLibTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const mandatoryTest_6_1_1: CsafLibTest;
  export const mandatoryTest_6_1_2: CsafLibTest;
  export const mandatoryTest_6_1_3: CsafLibTest;
  export const mandatoryTest_6_1_4: CsafLibTest;
  export const mandatoryTest_6_1_5: CsafLibTest;
  export const mandatoryTest_6_1_6: CsafLibTest;
  export const mandatoryTest_6_1_7: CsafLibTest;
  export const mandatoryTest_6_1_8: CsafLibTest;
  export const mandatoryTest_6_1_9: CsafLibTest;
  export const mandatoryTest_6_1_10: CsafLibTest;
  export const mandatoryTest_6_1_11: CsafLibTest;
  export const mandatoryTest_6_1_12: CsafLibTest;
  export const mandatoryTest_6_1_13: CsafLibTest;
  export const mandatoryTest_6_1_14: CsafLibTest;
  export const mandatoryTest_6_1_15: CsafLibTest;
  export const mandatoryTest_6_1_16: CsafLibTest;
  export const mandatoryTest_6_1_17: CsafLibTest;
  export const mandatoryTest_6_1_18: CsafLibTest;
  export const mandatoryTest_6_1_19: CsafLibTest;
  export const mandatoryTest_6_1_20: CsafLibTest;
  export const mandatoryTest_6_1_21: CsafLibTest;
  export const mandatoryTest_6_1_22: CsafLibTest;
  export const mandatoryTest_6_1_23: CsafLibTest;
  export const mandatoryTest_6_1_24: CsafLibTest;
  export const mandatoryTest_6_1_25: CsafLibTest;
  export const mandatoryTest_6_1_26: CsafLibTest;
  export const mandatoryTest_6_1_27_1: CsafLibTest;
  export const mandatoryTest_6_1_27_2: CsafLibTest;
  export const mandatoryTest_6_1_27_3: CsafLibTest;
  export const mandatoryTest_6_1_27_4: CsafLibTest;
  export const mandatoryTest_6_1_27_5: CsafLibTest;
  export const mandatoryTest_6_1_27_6: CsafLibTest;
  export const mandatoryTest_6_1_27_7: CsafLibTest;
  export const mandatoryTest_6_1_27_8: CsafLibTest;
  export const mandatoryTest_6_1_27_9: CsafLibTest;
  export const mandatoryTest_6_1_27_10: CsafLibTest;
  export const mandatoryTest_6_1_27_11: CsafLibTest;
  export const mandatoryTest_6_1_28: CsafLibTest;
  export const mandatoryTest_6_1_29: CsafLibTest;
  export const mandatoryTest_6_1_30: CsafLibTest;
  export const mandatoryTest_6_1_31: CsafLibTest;
  export const mandatoryTest_6_1_32: CsafLibTest;
  export const mandatoryTest_6_1_33: CsafLibTest;
}

declare module '@secvisogram/csaf-validator-lib/optionalTests.js' {
  import type { CsafLibTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const optionalTest_6_2_1: CsafLibTest;
  export const optionalTest_6_2_2: CsafLibTest;
  export const optionalTest_6_2_3: CsafLibTest;
  export const optionalTest_6_2_4: CsafLibTest;
  export const optionalTest_6_2_5: CsafLibTest;
  export const optionalTest_6_2_6: CsafLibTest;
  export const optionalTest_6_2_7: CsafLibTest;
  export const optionalTest_6_2_8: CsafLibTest;
  export const optionalTest_6_2_9: CsafLibTest;
  export const optionalTest_6_2_10: CsafLibTest;
  export const optionalTest_6_2_11: CsafLibTest;
  export const optionalTest_6_2_12: CsafLibTest;
  export const optionalTest_6_2_13: CsafLibTest;
  export const optionalTest_6_2_14: CsafLibTest;
  export const optionalTest_6_2_15: CsafLibTest;
  export const optionalTest_6_2_16: CsafLibTest;
  export const optionalTest_6_2_17: CsafLibTest;
  export const optionalTest_6_2_18: CsafLibTest;
  export const optionalTest_6_2_19: CsafLibTest;
  export const optionalTest_6_2_20: CsafLibTest;
}

declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  /** The CWE catalogue the library checks test 6.1.11 against. */
  export const weaknesses: readonly { id: string; name: string; status: string; usage?: string }[];
}
