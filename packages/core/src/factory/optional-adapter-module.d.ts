// What core's compiler sees for the optional adapter packages it imports on demand (see
// tsconfig.json `paths`): core must type-check without them, and never against their own
// declarations, which import core back.
declare const adapterModule: unknown;
export default adapterModule;
