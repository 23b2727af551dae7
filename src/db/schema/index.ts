/** Every table and enum of the Portcullis schema; drizzle-kit and the relations read this module. */
export * from './accounts.ts';
export * from './organizations.ts';
export * from './principals.ts';
export * from './policies.ts';
export * from './attachments.ts';
export * from './credentials.ts';
export * from './sessions.ts';
export * from './federation.ts';
export * from './change-log.ts';
export * from './last-accessed.ts';
export * from './action-usage.ts';
export * from './throttle.ts';
export * from './resources.ts';
export type { Tag } from './columns.ts';
export * from './services.ts';
export * from './reports.ts';
export * from './console-federation.ts';
