import type { OrderFollowUp, ScreeningOrderInput, ScreeningOrderResult } from '../../connectors/aequivalent-screening/contract';

/** The order workflow's signature: its follow-up continues as new with it without importing the workflow (a cycle). */
export type ScreeningOrderWorkflow = (input: ScreeningOrderInput, carried?: OrderFollowUp) => Promise<ScreeningOrderResult>;
