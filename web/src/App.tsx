import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { PublicPricingPage } from './pages/Pricing.tsx';
import { FullPageLoading, ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage } from './pages/Auth.tsx';
import { useSession } from './session.tsx';
import { Shell } from './Shell.tsx';

/** The shell needs a session that passed every sign-in step; otherwise the login page takes over. */
function SignedInOnly() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageLoading />;
  if (state.status !== 'signed-in' || state.session.mfa !== 'complete') {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Shell />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/register" element={<RegisterPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/harga" element={<PublicPricingPage />} />
      <Route path="/*" element={<SignedInOnly />} />
    </Routes>
  );
}
