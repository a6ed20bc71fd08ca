import type { PushRequest, PushResponse } from '../../src/shared/http/push';
import type { ServiceContext } from './context';
import type { Principal } from './tokens';
/** Applies a batch of ops, each at most once (by op id); a replay returns the first result. */
export declare function push(ctx: ServiceContext, by: Principal, req: PushRequest): Promise<PushResponse>;
