/**
 * Authorizer throughput: raw node:crypto RS256 verification (the floor), aws-jwt-verify's own
 * verifySync, and our handler end to end on REST and HTTP API events, over distinct tokens and over
 * one repeated token. All in this process, same keys, same tokens.
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { createAuthorizer } from '../src/auth/create-authorizer';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { readAuthorizerConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { buildCognitoClaims, generateKeyPair, signJwt } from '../tools/dev-stack/sign-jwt';
import { formatRate, measureRate, pairedRatio, type PairedRatio, type Rate } from './measure';

const POOL = 'us-east-1_BenchPool1';
const CLIENT = 'benchclient00000000000001';
const STAGE_ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod';

type Contender = 'raw' | 'library' | 'handlerRest' | 'handlerHttp';

export interface AuthorizerFigures {
  tokens: number;
  rounds: number;
  /** Distinct tokens timed per round and contender. */
  perRound: number;
  /** Medians of each contender's rounds. */
  distinct: Record<Contender, Rate>;
  repeated: Record<Contender, Rate>;
  /**
   * The targets' ratios, each taken within one round (contender and baseline measured back to
   * back), then the median over rounds: a drift in the machine's speed between rounds, which moves
   * both alike, cancels out of each round's ratio.
   */
  ratios: {
    distinctRest: PairedRatio;
    distinctHttp: PairedRatio;
    repeatedRest: PairedRatio;
    repeatedHttp: PairedRatio;
  };
}

export async function benchAuthorizer(
  tokenCount: number,
  log: (line: string) => void,
): Promise<AuthorizerFigures> {
  const key = generateKeyPair('bench-key');
  const now = Math.floor(Date.now() / 1000);
  log(`signing ${tokenCount.toLocaleString('en-US')} distinct RS256 tokens…`);
  const tokens = Array.from({ length: tokenCount }, (_, i) =>
    signJwt(
      key,
      buildCognitoClaims({
        userPoolId: POOL,
        clientId: CLIENT,
        sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        issuedAt: now - 60,
        expiresIn: 3600,
      }),
    ),
  );
  const publicKey = createPublicKey({ key: key.publicJwk, format: 'jwk' });
  const split = tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return { input: Buffer.from(token.slice(0, dot)), signature: token.slice(dot + 1) };
  });
  const raw = (i: number) => {
    const t = split[i % split.length];
    if (
      t === undefined ||
      !cryptoVerify('sha256', t.input, publicKey, Buffer.from(t.signature, 'base64url'))
    ) {
      throw new Error('raw verification failed');
    }
  };

  const library = CognitoJwtVerifier.create({
    userPoolId: POOL,
    clientId: CLIENT,
    tokenUse: 'access',
  });
  library.cacheJwks({ keys: [key.publicJwk] });
  const libraryVerify = (i: number) => library.verifySync(tokens[i % tokens.length] ?? '');

  // Decision lines go through the real logger and a real write(2), to /dev/null.
  const devNull = openSync('/dev/null', 'w');
  const logger = createLogger({
    service: 'authorizer',
    level: 'INFO',
    sink: (line) => writeSync(devNull, `${line}\n`),
  });
  const config = readAuthorizerConfig({ COGNITO_USER_POOL_ID: POOL, COGNITO_CLIENT_IDS: CLIENT });
  const makeHandler = () =>
    createAuthorizer(config, {
      verifier: createTokenVerifier(config, { jwks: { keys: [key.publicJwk] } }),
      logger,
    });
  const restEvents = tokens.map((token) => ({
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: `${STAGE_ARN}/GET/whoami`,
  }));
  const httpEvents = tokens.map((token) => ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: `${STAGE_ARN}/GET/whoami`,
    routeKey: 'GET /whoami',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  }));

  // Many short rounds rather than a few long ones: this machine's speed drifts by 20-30% over
  // seconds, and a ratio taken within a short round sees less of that drift. Each round times a
  // fifth of the tokens, a different fifth from the round before.
  const ROUNDS = 25;
  const PARTS = 5;
  const CHUNK = Math.ceil(tokenCount / PARTS);
  // Warm up every path (JIT, key objects) before measuring.
  for (let i = 0; i < 500; i += 1) {
    raw(i);
    libraryVerify(i);
  }
  await measureRate(500, 1, (i) => makeHandler()(restEvents[i]));
  // Rounds interleave the contenders, so drift in the machine's speed hits all of them alike; each
  // rate is the median of its rounds, each target ratio the median of its per-round ratios. Odd
  // rounds run the contenders in reverse order, so none always inherits another's garbage. A fresh
  // handler per round makes every token one it sees for the first time (verified, not cached).
  const distinctRounds: Record<Contender, Rate[]> = {
    raw: [],
    library: [],
    handlerRest: [],
    handlerHttp: [],
  };
  const repeatedRounds: Record<Contender, Rate[]> = {
    raw: [],
    library: [],
    handlerRest: [],
    handlerHttp: [],
  };
  const REPEAT = 20_000;
  const repeatedRest = makeHandler();
  const repeatedHttp = makeHandler();
  const distinctSteps: [Contender, (from: number) => Promise<Rate>][] = [
    [
      'raw',
      (from) =>
        measureRate(CHUNK, 1, (i) => {
          raw(from + i);
        }),
    ],
    ['library', (from) => measureRate(CHUNK, 1, (i) => libraryVerify(from + i))],
    [
      'handlerRest',
      (from) => {
        const rest = makeHandler();
        return measureRate(CHUNK, 1, (i) => rest(restEvents[from + i]));
      },
    ],
    [
      'handlerHttp',
      (from) => {
        const http = makeHandler();
        return measureRate(CHUNK, 1, (i) => http(httpEvents[from + i]));
      },
    ],
  ];
  const repeatedSteps: [Contender, () => Promise<Rate>][] = [
    [
      'raw',
      () =>
        measureRate(REPEAT / 10, 1, () => {
          raw(0);
        }),
    ],
    ['library', () => measureRate(REPEAT / 10, 1, () => libraryVerify(0))],
    ['handlerRest', () => measureRate(REPEAT, 1, () => repeatedRest(restEvents[0]))],
    ['handlerHttp', () => measureRate(REPEAT, 1, () => repeatedHttp(httpEvents[0]))],
  ];
  for (let round = 0; round < ROUNDS; round += 1) {
    const inOrder = <T>(steps: T[]) => (round % 2 === 0 ? steps : [...steps].reverse());
    const from = (round % PARTS) * CHUNK;
    for (const [name, step] of inOrder(distinctSteps)) {
      distinctRounds[name].push(await step(from));
    }
    for (const [name, step] of inOrder(repeatedSteps)) repeatedRounds[name].push(await step());
  }
  const pick = (rounds: Record<Contender, Rate[]>) => ({
    raw: medianRate(rounds.raw),
    library: medianRate(rounds.library),
    handlerRest: medianRate(rounds.handlerRest),
    handlerHttp: medianRate(rounds.handlerHttp),
  });
  const distinct = pick(distinctRounds);
  const repeated = pick(repeatedRounds);
  closeSync(devNull);
  return {
    tokens: tokenCount,
    rounds: ROUNDS,
    perRound: CHUNK,
    distinct,
    repeated,
    ratios: {
      distinctRest: pairedRatio(micros(distinctRounds.handlerRest), micros(distinctRounds.library)),
      distinctHttp: pairedRatio(micros(distinctRounds.handlerHttp), micros(distinctRounds.library)),
      // "Times faster than raw": raw time over handler time.
      repeatedRest: pairedRatio(micros(repeatedRounds.raw), micros(repeatedRounds.handlerRest)),
      repeatedHttp: pairedRatio(micros(repeatedRounds.raw), micros(repeatedRounds.handlerHttp)),
    },
  };
}

const micros = (rates: readonly Rate[]) => rates.map((rate) => rate.microsPerOp);

function medianRate(rates: Rate[]): Rate {
  const sorted = [...rates].sort((x, y) => x.microsPerOp - y.microsPerOp);
  return sorted[Math.floor(sorted.length / 2)] ?? { opsPerSecond: 0, microsPerOp: 0 };
}

export function printAuthorizerFigures(f: AuthorizerFigures, log: (line: string) => void): void {
  const ratio = (a: Rate, b: Rate) => (a.microsPerOp / b.microsPerOp).toFixed(2);
  const paired = (r: PairedRatio, digits: number) =>
    `${r.median.toFixed(digits)}x (middle half of rounds ${r.q1.toFixed(digits)}–${r.q3.toFixed(digits)})`;
  log(
    `\nAuthorizer, ${f.tokens.toLocaleString('en-US')} distinct tokens (every one verified), ${f.rounds} rounds of ${f.perRound.toLocaleString('en-US')}:`,
  );
  log(`  raw node:crypto RS256 verify  ${formatRate(f.distinct.raw)}`);
  log(
    `  aws-jwt-verify verifySync     ${formatRate(f.distinct.library)}   library/raw ${ratio(f.distinct.library, f.distinct.raw)}x`,
  );
  for (const [name, rate, r] of [
    ['REST TOKEN', f.distinct.handlerRest, f.ratios.distinctRest],
    ['HTTP API 2.0', f.distinct.handlerHttp, f.ratios.distinctHttp],
  ] as const) {
    log(
      `  handler, ${name.padEnd(12)}       ${formatRate(rate)}   handler/library ${paired(r, 2)} (target ≤ 1.15x), handler/raw ${ratio(rate, f.distinct.raw)}x`,
    );
  }
  log(`\nAuthorizer, one token repeated (verified-token cache), ${f.rounds} rounds:`);
  log(`  raw node:crypto RS256 verify  ${formatRate(f.repeated.raw)}`);
  log(`  aws-jwt-verify verifySync     ${formatRate(f.repeated.library)}`);
  for (const [name, rate, r] of [
    ['REST TOKEN', f.repeated.handlerRest, f.ratios.repeatedRest],
    ['HTTP API 2.0', f.repeated.handlerHttp, f.ratios.repeatedHttp],
  ] as const) {
    log(
      `  handler, ${name.padEnd(12)}       ${formatRate(rate)}   ${paired(r, 1)} faster than raw verify (target ≥ 10x)`,
    );
  }
  log(
    "  (ratios: median over rounds of each round's ratio, contender and baseline measured back to back)",
  );
}
