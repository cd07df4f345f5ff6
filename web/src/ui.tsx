import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type SubmitEvent,
  type HTMLAttributes,
  type ReactNode,
} from 'react';
import type { Problem } from './errors';

/** False only for the first screen of a page load, whose heading need not take the focus. */
export const FocusHeadingContext = createContext(false);

/** The screen's heading; it takes the focus when the screen changes, so the change is announced. */
export function ScreenHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focusOnMount = useContext(FocusHeadingContext);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A polite announcement (a code was sent, a profile was saved…). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  required?: boolean;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field(props: FieldProps) {
  const { id, label, value, onChange, error, hint, type = 'text', ...rest } = props;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? '' : hintId, error === undefined ? '' : errorId]
    .filter((part) => part !== '')
    .join(' ');
  return (
    <div className={error === undefined ? 'field' : 'field field-invalid'}>
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        autoCapitalize={type === 'text' ? undefined : 'none'}
        spellCheck={type === 'text' ? undefined : false}
        {...rest}
      />
      {error === undefined ? null : (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A form's errors and busy state. `submit` runs a task once at a time; its problems (from local
 * checks or from `describe(error)`) go beside their fields or above the form, and the focus moves to
 * the first field in `order` that has an error.
 */
export function useForm<F extends string>(idPrefix: string, order: readonly F[]) {
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  const busy = useRef(false);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (attempt === 0) return;
    const first = order.find((field) => fieldErrors[field] !== undefined);
    if (first !== undefined) document.getElementById(`${idPrefix}-${first}`)?.focus();
    // Only after a submission (attempt changes), not while the person types.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  function show(problems: Problem[]) {
    const nextFields: Partial<Record<F, string>> = {};
    let nextForm: string | undefined;
    for (const problem of problems) {
      const field = order.find((candidate) => candidate === problem.field);
      if (field === undefined) nextForm ??= problem.message;
      else nextFields[field] ??= problem.message;
    }
    setFieldErrors(nextFields);
    setFormError(nextForm);
    setAttempt((n) => n + 1);
  }

  async function submit(
    check: () => Problem[],
    task: () => Promise<void>,
    describe: (error: unknown) => Problem,
  ): Promise<void> {
    if (busy.current) return;
    const problems = check();
    if (problems.length > 0) {
      show(problems);
      return;
    }
    busy.current = true;
    setIsBusy(true);
    setFieldErrors({});
    setFormError(undefined);
    try {
      await task();
    } catch (error) {
      show([describe(error)]);
    } finally {
      busy.current = false;
      setIsBusy(false);
    }
  }

  return {
    fieldError: (field: F) => fieldErrors[field],
    id: (field: F) => `${idPrefix}-${field}`,
    formErrorId: `${idPrefix}-form-error`,
    formError,
    attempt,
    isBusy,
    show,
    submit,
  };
}

/** The form-level error, re-announced on every failed attempt (the key remounts it). */
export function FormError({
  id,
  message,
  attempt,
}: {
  id: string;
  message?: string | undefined;
  attempt: number;
}) {
  if (message === undefined) return null;
  return (
    <p key={attempt} id={id} className="form-error" role="alert">
      {message}
    </p>
  );
}

/** `onSubmit` for a form whose work is async: no page reload, no floating promise. */
export function onSubmit(run: () => Promise<void>) {
  return (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    run().catch(() => undefined);
  };
}

/** The check for a field that must not be blank. */
export function requireValue<F extends string>(
  field: F,
  value: string,
  message: string,
): Problem<F>[] {
  return value.trim() === '' ? [{ field, message }] : [];
}

/** A button that looks like a link: moves to another screen. */
export function LinkButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="link" onClick={onClick}>
      {children}
    </button>
  );
}

/** "Resend code" on the screens that wait for an emailed code. */
export function ResendCodeButton({
  busy,
  onResend,
}: {
  busy: boolean;
  onResend: () => Promise<void>;
}) {
  return (
    <button
      type="button"
      className="secondary"
      aria-disabled={busy}
      onClick={() => {
        void onResend();
      }}
    >
      Resend code
    </button>
  );
}
