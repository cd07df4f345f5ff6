import {
  confirmResetPassword,
  confirmSignUp,
  resendSignUpCode,
  resetPassword,
  signIn,
  signUp,
} from 'aws-amplify/auth';
import { useState } from 'react';
import type { SignInAuthFlow } from './auth-flow';
import { describeAuthError, GENERIC_MESSAGE } from './errors';
import type { Go } from './navigation';
import {
  Field,
  FormError,
  LinkButton,
  Notice,
  ResendCodeButton,
  ScreenHeading,
  onSubmit,
  requireValue,
  useForm,
} from './ui';
import { describePasswordPolicy, findPasswordProblem } from './password-policy';
import { STACK_PASSWORD_POLICY } from './stack-password-policy';

// The stack's own policy (generated from serverless.yml), checked before sending: cognito-local
// enforces none, and real Cognito's refusal arrives only after a round trip.
const PASSWORD_HINT = describePasswordPolicy(STACK_PASSWORD_POLICY);

function requirePasswordPolicy(password: string) {
  const problem =
    password === '' ? undefined : findPasswordProblem(password, STACK_PASSWORD_POLICY);
  return problem === undefined ? [] : [{ field: 'password' as const, message: problem }];
}
const CODE_HINT = 'The 6-digit code from the email we sent you.';

function describedBy(form: { formError?: string | undefined; formErrorId: string }) {
  return form.formError === undefined ? undefined : form.formErrorId;
}

export function SignUpScreen({ go }: { go: Go }) {
  const form = useForm('sign-up', ['email', 'password', 'name', 'handle'] as const);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');

  const run = () =>
    form.submit(
      () => [
        ...requireValue('email', email, 'Enter your email address.'),
        ...requireValue('password', password, 'Choose a password.'),
        ...requirePasswordPolicy(password),
        ...requireValue('name', name, 'Enter the name people will see.'),
      ],
      async () => {
        const address = email.trim();
        const result = await signUp({
          username: address,
          password,
          options: {
            // Only the email is a Cognito attribute: the app client may not write name or
            // preferred_username (serverless.yml, WriteAttributes), so a signed-in person cannot
            // set them behind the profile API's back. The display name and handle travel as
            // ClientMetadata, which Cognito hands to PreSignUp (request.clientMetadata) without
            // storing it; PreSignUp validates them and keeps them for PostConfirmation.
            // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
            userAttributes: { email: address },
            clientMetadata: {
              displayName: name,
              ...(handle.trim() === '' ? {} : { handle }),
            },
          },
        });
        if (result.nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
          go({ name: 'confirm', email: address });
        } else {
          go({ name: 'signIn', email: address, notice: 'Your account is ready. Sign in.' });
        }
      },
      (error) => describeAuthError(error, 'signUp'),
    );

  return (
    <>
      <ScreenHeading>Create your account</ScreenHeading>
      <form noValidate onSubmit={onSubmit(run)} aria-describedby={describedBy(form)}>
        <FormError id={form.formErrorId} message={form.formError} attempt={form.attempt} />
        <Field
          id={form.id('email')}
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={setEmail}
          error={form.fieldError('email')}
        />
        <Field
          id={form.id('password')}
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_HINT}
          value={password}
          onChange={setPassword}
          error={form.fieldError('password')}
        />
        <Field
          id={form.id('name')}
          label="Display name"
          autoComplete="name"
          required
          hint="The name people see, up to 64 characters."
          value={name}
          onChange={setName}
          error={form.fieldError('name')}
        />
        <Field
          id={form.id('handle')}
          label="Handle"
          autoComplete="username"
          hint="Optional: 3–30 letters (a–z), digits or underscores, starting with a letter. Left empty, one is made from your email."
          value={handle}
          onChange={setHandle}
          error={form.fieldError('handle')}
        />
        <button type="submit" aria-disabled={form.isBusy}>
          Sign up
        </button>
      </form>
      <p className="alternatives">
        <LinkButton
          onClick={() => {
            go({ name: 'signIn', email: email.trim() });
          }}
        >
          I already have an account
        </LinkButton>
      </p>
    </>
  );
}

export function ConfirmScreen({ go, email, notice }: { go: Go; email: string; notice?: string }) {
  const form = useForm('confirm', ['code'] as const);
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<string | undefined>(notice);

  const confirm = () =>
    form.submit(
      () => requireValue('code', code, 'Enter the code from the email.'),
      async () => {
        const result = await confirmSignUp({ username: email, confirmationCode: code.trim() });
        if (result.nextStep.signUpStep !== 'DONE') throw new Error(GENERIC_MESSAGE);
        go({ name: 'signIn', email, notice: 'Your email is confirmed. Sign in to continue.' });
      },
      (error) => describeAuthError(error, 'confirm'),
    );

  const resend = () =>
    form.submit(
      () => [],
      async () => {
        setSent(undefined);
        await resendSignUpCode({ username: email });
        setSent(`We sent a new code to ${email}.`);
      },
      (error) => describeAuthError(error, 'resend'),
    );

  return (
    <>
      <ScreenHeading>Confirm your email</ScreenHeading>
      <p>
        We sent a code to <strong>{email}</strong>.
      </p>
      {sent === undefined ? null : <Notice>{sent}</Notice>}
      <form noValidate onSubmit={onSubmit(confirm)} aria-describedby={describedBy(form)}>
        <FormError id={form.formErrorId} message={form.formError} attempt={form.attempt} />
        <Field
          id={form.id('code')}
          label="Confirmation code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          hint={CODE_HINT}
          value={code}
          onChange={setCode}
          error={form.fieldError('code')}
        />
        <div className="actions">
          <button type="submit" aria-disabled={form.isBusy}>
            Confirm
          </button>
          <ResendCodeButton busy={form.isBusy} onResend={resend} />
        </div>
      </form>
      <p className="alternatives">
        <LinkButton
          onClick={() => {
            go({ name: 'signIn', email });
          }}
        >
          I already have an account
        </LinkButton>
      </p>
    </>
  );
}

export function SignInScreen({
  go,
  authFlowType,
  email: initialEmail = '',
  notice,
}: {
  go: Go;
  authFlowType: SignInAuthFlow;
  email?: string | undefined;
  notice?: string | undefined;
}) {
  const form = useForm('sign-in', ['email', 'password'] as const);
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');

  const run = () =>
    form.submit(
      () => [
        ...requireValue('email', email, 'Enter your email address.'),
        ...requireValue('password', password, 'Enter your password.'),
      ],
      async () => {
        const address = email.trim();
        let result: Awaited<ReturnType<typeof signIn>>;
        try {
          result = await signIn({
            username: address,
            password,
            // SRP against real Cognito, the password itself only to an emulator (config.ts).
            options: { authFlowType },
          });
        } catch (error) {
          if (error instanceof Error && error.name === 'UserAlreadyAuthenticatedException') {
            go({ name: 'profile' });
            return;
          }
          throw error;
        }
        if (result.isSignedIn) {
          go({ name: 'profile' });
        } else if (result.nextStep.signInStep === 'CONFIRM_SIGN_UP') {
          go({
            name: 'confirm',
            email: address,
            notice: 'Your email is not confirmed yet. Enter the code we sent, or send a new one.',
          });
        } else {
          form.show([
            {
              field: undefined,
              message: 'This account needs a step this page cannot do yet. Please contact support.',
            },
          ]);
        }
      },
      (error) => describeAuthError(error, 'signIn'),
    );

  return (
    <>
      <ScreenHeading>Sign in</ScreenHeading>
      {notice === undefined ? null : <Notice>{notice}</Notice>}
      <form noValidate onSubmit={onSubmit(run)} aria-describedby={describedBy(form)}>
        <FormError id={form.formErrorId} message={form.formError} attempt={form.attempt} />
        <Field
          id={form.id('email')}
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
          error={form.fieldError('email')}
        />
        <Field
          id={form.id('password')}
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={form.fieldError('password')}
        />
        <button type="submit" aria-disabled={form.isBusy}>
          Sign in
        </button>
      </form>
      <p className="alternatives">
        <LinkButton
          onClick={() => {
            go({ name: 'forgot', email: email.trim() });
          }}
        >
          Forgot password?
        </LinkButton>
        <LinkButton
          onClick={() => {
            go({ name: 'signUp' });
          }}
        >
          Create an account
        </LinkButton>
      </p>
    </>
  );
}

export function ForgotPasswordScreen({
  go,
  email: initialEmail = '',
}: {
  go: Go;
  email?: string | undefined;
}) {
  const form = useForm('forgot', ['email'] as const);
  const [email, setEmail] = useState(initialEmail);

  const run = () =>
    form.submit(
      () => requireValue('email', email, 'Enter your email address.'),
      async () => {
        const address = email.trim();
        const result = await resetPassword({ username: address });
        if (result.nextStep.resetPasswordStep === 'DONE') {
          go({ name: 'signIn', email: address });
          return;
        }
        const destination = result.nextStep.codeDeliveryDetails.destination ?? address;
        go({ name: 'newPassword', email: address, notice: `We sent a code to ${destination}.` });
      },
      (error) => describeAuthError(error, 'reset'),
    );

  return (
    <>
      <ScreenHeading>Reset your password</ScreenHeading>
      <p>Enter your email and we will send you a code to choose a new password.</p>
      <form noValidate onSubmit={onSubmit(run)} aria-describedby={describedBy(form)}>
        <FormError id={form.formErrorId} message={form.formError} attempt={form.attempt} />
        <Field
          id={form.id('email')}
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
          error={form.fieldError('email')}
        />
        <button type="submit" aria-disabled={form.isBusy}>
          Reset password
        </button>
      </form>
      <p className="alternatives">
        <LinkButton
          onClick={() => {
            go({ name: 'signIn', email: email.trim() });
          }}
        >
          I already have an account
        </LinkButton>
      </p>
    </>
  );
}

export function NewPasswordScreen({
  go,
  email,
  notice,
}: {
  go: Go;
  email: string;
  notice?: string;
}) {
  const form = useForm('new-password', ['code', 'password'] as const);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState<string | undefined>(notice);

  const run = () =>
    form.submit(
      () => [
        ...requireValue('code', code, 'Enter the code from the email.'),
        ...requireValue('password', password, 'Choose a new password.'),
        ...requirePasswordPolicy(password),
      ],
      async () => {
        await confirmResetPassword({
          username: email,
          confirmationCode: code.trim(),
          newPassword: password,
        });
        go({
          name: 'signIn',
          email,
          notice: 'Your password is changed. Sign in with the new one.',
        });
      },
      (error) => describeAuthError(error, 'newPassword'),
    );

  const resend = () =>
    form.submit(
      () => [],
      async () => {
        setSent(undefined);
        await resetPassword({ username: email });
        setSent(`We sent a new code to ${email}.`);
      },
      (error) => describeAuthError(error, 'reset'),
    );

  return (
    <>
      <ScreenHeading>Choose a new password</ScreenHeading>
      {sent === undefined ? null : <Notice>{sent}</Notice>}
      <form noValidate onSubmit={onSubmit(run)} aria-describedby={describedBy(form)}>
        <FormError id={form.formErrorId} message={form.formError} attempt={form.attempt} />
        <Field
          id={form.id('code')}
          label="Confirmation code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          hint={CODE_HINT}
          value={code}
          onChange={setCode}
          error={form.fieldError('code')}
        />
        <Field
          id={form.id('password')}
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_HINT}
          value={password}
          onChange={setPassword}
          error={form.fieldError('password')}
        />
        <div className="actions">
          <button type="submit" aria-disabled={form.isBusy}>
            Set new password
          </button>
          <ResendCodeButton busy={form.isBusy} onResend={resend} />
        </div>
      </form>
      <p className="alternatives">
        <LinkButton
          onClick={() => {
            go({ name: 'signIn', email });
          }}
        >
          I already have an account
        </LinkButton>
      </p>
    </>
  );
}
