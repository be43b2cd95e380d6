import { useCallback, useEffect, useState } from 'react';
import type { ApiRoute, RouteParams, RouteResponse } from '../../../../shared/api.js';
import { HttpError, type HttpClient } from '../../sync/http.js';
import { useSessionStore } from './context.js';

/** The staff app's HTTP client (the session store's: cookie, CSRF token, clock). */
export const useHttp = (): HttpClient => useSessionStore().getState().http;

type GetRoute = Extract<ApiRoute, `GET ${string}`>;

/** GET a resource while mounted; `params: null` waits. `error` says "not available yet" for a 404 route. */
export function useApi<R extends GetRoute>(
  route: R,
  params: RouteParams<R> | null,
): {
  data: RouteResponse<R> | null;
  error: HttpError | null;
  reload: () => void;
} {
  const http = useHttp();
  const [data, setData] = useState<RouteResponse<R> | null>(null);
  const [error, setError] = useState<HttpError | null>(null);
  const [n, setN] = useState(0);
  const key = params === null ? null : JSON.stringify(params);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    // The route is generic here: the call is checked where useApi is called.
    const get = http.request as (
      route: ApiRoute,
      options: { params: Record<string, string> },
    ) => Promise<RouteResponse<R>>;
    get(route, { params: JSON.parse(key) as Record<string, string> }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof HttpError ? e : new HttpError(0, 'unexpected-response', String(e)));
      },
    );
    return () => {
      live = false;
    };
  }, [http, route, key, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, reload };
}
