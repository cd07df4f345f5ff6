import { getCurrentUser } from 'aws-amplify/auth';
import { useEffect, useRef, useState } from 'react';
import {
  ConfirmScreen,
  ForgotPasswordScreen,
  NewPasswordScreen,
  SignInScreen,
  SignUpScreen,
} from './AuthScreens';
import type { WebConfig } from './config';
import type { Screen } from './navigation';
import { ProfileScreen } from './ProfileScreen';
import { FocusHeadingContext } from './ui';

function CurrentScreen({
  screen,
  go,
  config,
}: {
  screen: Screen;
  go: (s: Screen) => void;
  config: WebConfig;
}) {
  switch (screen.name) {
    case 'loading':
      return <p role="status">Loading…</p>;
    case 'signIn':
      return (
        <SignInScreen
          go={go}
          authFlowType={config.authFlowType}
          email={screen.email}
          notice={screen.notice}
        />
      );
    case 'signUp':
      return <SignUpScreen go={go} />;
    case 'confirm':
      return <ConfirmScreen go={go} email={screen.email} notice={screen.notice} />;
    case 'profile':
      return <ProfileScreen go={go} apiUrl={config.apiUrl} />;
    case 'forgot':
      return <ForgotPasswordScreen go={go} email={screen.email} />;
    case 'newPassword':
      return <NewPasswordScreen go={go} email={screen.email} notice={screen.notice} />;
  }
}

export function App({ config }: { config: WebConfig }) {
  const [screen, setScreen] = useState<Screen>({ name: 'loading' });
  // Each navigation remounts the screen (fresh form state) and moves the focus to its heading,
  // except for the first screen after the page loads.
  const [visit, setVisit] = useState(0);
  const navigated = useRef(false);

  const go = (next: Screen) => {
    navigated.current = true;
    setScreen(next);
    setVisit((n) => n + 1);
  };

  useEffect(() => {
    let current = true;
    getCurrentUser().then(
      () => {
        if (current) setScreen({ name: 'profile' });
      },
      () => {
        if (current) setScreen({ name: 'signIn' });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <div className="page">
      <header className="site">
        <p className="brand">cognito-gate</p>
      </header>
      <main className="card">
        <FocusHeadingContext.Provider value={navigated.current}>
          <CurrentScreen key={visit} screen={screen} go={go} config={config} />
        </FocusHeadingContext.Provider>
      </main>
    </div>
  );
}
