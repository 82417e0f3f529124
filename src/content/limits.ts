// What a bundle may cost to read: the budgets the reader enforces before parsing, in one place (docs/CONTENT.md,
// "Limits"). A file or bundle over budget is refused with a problem, never read whole.

/** The largest file a bundle may hold (the biggest shipped file is about 13 KB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The most a bundle's files may weigh together; reading stops at the file that goes over. */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;

/** The most YAML aliases (*name) one file may expand; beyond it the file is refused as an alias bomb. */
export const MAX_YAML_ALIASES = 100;
