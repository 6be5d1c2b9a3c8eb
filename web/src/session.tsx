import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, setApiLanguage, setCsrfToken, setSessionLostHandler, type SessionView } from './api.ts';
import { useI18n, type Lang } from './i18n.ts';

export type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; session: SessionView };

interface SessionContextValue {
  state: SessionState;
  /** The session when signed in (any 2FA state), else null. */
  session: SessionView | null;
  /** Store a session response (login, 2FA, activation, account update): also takes its CSRF token. */
  applySession(session: SessionView): void;
  refresh(): Promise<void>;
  /** Forget the session locally (after logout-all, or when the server lost it). */
  clear(): void;
  logout(): Promise<void>;
  /** Switch the UI language; saved on the account when signed in. */
  changeLanguage(lang: Lang): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang, setLang } = useI18n();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const langRef = useRef(lang);
  langRef.current = lang;
  setApiLanguage(lang);
  /** The language was picked by hand before signing in: it then wins over the account's saved one. */
  const pickedBeforeSignIn = useRef(false);

  const saveLocale = useCallback(async (locale: Lang) => {
    const updated = await api.patch<SessionView>('/account', { locale });
    setCsrfToken(updated.csrfToken);
    setState({ status: 'signed-in', session: updated });
  }, []);

  const applySession = useCallback(
    (session: SessionView) => {
      setCsrfToken(session.csrfToken);
      setState({ status: 'signed-in', session });
      const current = langRef.current;
      if (session.user.locale === current) {
        if (session.mfa === 'complete') pickedBeforeSignIn.current = false;
        return;
      }
      if (pickedBeforeSignIn.current) {
        if (session.mfa === 'complete') {
          pickedBeforeSignIn.current = false;
          saveLocale(current).catch(() => undefined);
        }
      } else {
        setLang(session.user.locale);
      }
    },
    [saveLocale, setLang],
  );

  const clear = useCallback(() => {
    setCsrfToken(null);
    setState({ status: 'anonymous' });
  }, []);

  const refresh = useCallback(async () => {
    try {
      applySession(await api.get<SessionView>('/auth/session'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) clear();
      else throw err;
    }
  }, [applySession, clear]);

  useEffect(() => {
    refresh().catch(() => setState({ status: 'anonymous' }));
  }, [refresh]);

  useEffect(() => {
    setSessionLostHandler((code) => {
      if (code === 'unauthenticated') clear();
      else refresh().catch(() => undefined);
    });
    return () => setSessionLostHandler(null);
  }, [clear, refresh]);

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } catch {
      // Gone already, or offline: either way this browser forgets it.
    }
    clear();
  }, [clear]);

  const changeLanguage = useCallback(
    async (next: Lang) => {
      setApiLanguage(next);
      setLang(next);
      if (state.status === 'signed-in' && state.session.mfa === 'complete') {
        if (state.session.user.locale !== next) await saveLocale(next).catch(() => undefined);
      } else {
        pickedBeforeSignIn.current = true;
      }
    },
    [saveLocale, setLang, state],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      session: state.status === 'signed-in' ? state.session : null,
      applySession,
      refresh,
      clear,
      logout,
      changeLanguage,
    }),
    [state, applySession, refresh, clear, logout, changeLanguage],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in, fully verified session; only for pages inside the shell. */
export function useSignedIn(): SessionView {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
