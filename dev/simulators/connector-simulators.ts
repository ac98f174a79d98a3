import type { ConnectorName } from '../../src/connectors/registry';
import { aequivalentSimulator } from './aequivalent/connector-simulator';
import type { ConnectorSimulator } from './connector-simulator';
import { elevoSimulator } from './elevo/connector-simulator';

/** The simulator of every registered connector's target system, one line each (the type asks for all of them). */
export const CONNECTOR_SIMULATORS: Readonly<Record<ConnectorName, ConnectorSimulator>> = {
  'elevo-user-sync': elevoSimulator,
  'aequivalent-screening': aequivalentSimulator,
};
