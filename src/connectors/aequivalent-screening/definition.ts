import { createScreeningActivities } from '../../activities/aequivalent-screening/screening-activities';
import { renderScreeningIntakeReport } from './report/intake-report';
import { screeningRunWords } from './report/run-words';
import { AEQUIVALENT_SCREENING_CONNECTOR, SCREENING_INTAKE, screeningIntakeWorkflowId, type ScreeningIntakeResult } from './contract';
import { aequivalentConnectorSchema } from './config-section';
import type { ConnectorDefinition } from '../connector-definition';
import { aequivalentScreeningCheck } from './onboarding/check';

/** Lucca ↔ Aequivalent screening orders: a daily intake starts one order workflow per request (config section `aequivalent`). */
export const aequivalentScreeningConnector = {
  name: AEQUIVALENT_SCREENING_CONNECTOR,
  title: 'Aequivalent screening orders',
  configKey: 'aequivalent',
  configSection: aequivalentConnectorSchema,
  workflowsPath: require.resolve('../../workflows/aequivalent-screening'),
  workflowType: SCREENING_INTAKE,
  runWorkflowId: screeningIntakeWorkflowId,
  supportsDryRun: false,
  runWords: screeningRunWords,
  createActivities: createScreeningActivities,
  // The intake's report is its result (ids and reasons only); each order's report: src/client/run-reports.ts.
  renderReport: async (result, _artifacts, format) => renderScreeningIntakeReport(result as ScreeningIntakeResult, format),
  onboardingCheck: aequivalentScreeningCheck,
} satisfies ConnectorDefinition<typeof AEQUIVALENT_SCREENING_CONNECTOR>;
