import { Amplify } from 'aws-amplify';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readConfig } from './config';
import './styles.css';

function ConfigError({ problems }: { problems: string[] }) {
  return (
    <div className="page">
      <main className="card">
        <h1>This page is not configured</h1>
        <div className="form-error" role="alert">
          <p>The web client cannot start because its configuration is incomplete:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
          <p>
            Set these in <code>web/.env.local</code> or the environment (see{' '}
            <code>web/.env.example</code>), then restart or rebuild.
          </p>
        </div>
      </main>
    </div>
  );
}

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
const root = createRoot(container);
const result = readConfig();

if (result.ok) {
  const { userPoolId, userPoolClientId, userPoolEndpoint } = result.config;
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId,
        userPoolClientId,
        // Only for an emulator; Amplify needs an absolute URL here.
        ...(userPoolEndpoint === undefined ? {} : { userPoolEndpoint }),
        loginWith: { email: true },
      },
    },
  });
  root.render(
    <StrictMode>
      <App config={result.config} />
    </StrictMode>,
  );
} else {
  root.render(<ConfigError problems={result.problems} />);
}
