/** Who made a request: the host interface's Principal (`@parley/sources`), which providers' route authentications return too. */
export type { Principal } from '@parley/sources';
