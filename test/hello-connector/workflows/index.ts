// The hello connector's workflow types (its definition's workflowsPath).
export { helloSync } from './hello-sync';
