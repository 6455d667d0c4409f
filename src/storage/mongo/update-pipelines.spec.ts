import { Types } from 'mongoose';
import { addViolationPipeline, incrementPipeline } from './update-pipelines';

/**
 * A tiny evaluator for the aggregation operators these pipelines use, following MongoDB's rules:
 * each `$set` stage reads the document as it was before the stage; a missing field compared
 * with $gt sorts below every date (BSON order), so it is never "greater".
 */
type Doc = Record<string, unknown>;

function evaluate(expr: unknown, doc: Doc): unknown {
  if (typeof expr === 'string') return expr.startsWith('$') ? doc[expr.slice(1)] : expr;
  if (expr === null || typeof expr !== 'object' || expr instanceof Date || Array.isArray(expr)) return expr;
  const [op, arg] = Object.entries(expr as Record<string, unknown>)[0];
  const args = () => (arg as unknown[]).map((a) => evaluate(a, doc));
  switch (op) {
    case '$literal':
      return arg;
    case '$gt': {
      const [a, b] = args();
      if (a === undefined || a === null) return false;
      return (a as Date | number) > (b as Date | number);
    }
    case '$cond': {
      const [cond, then, otherwise] = arg as unknown[];
      return evaluate(cond, doc) ? evaluate(then, doc) : evaluate(otherwise, doc);
    }
    case '$add':
      return args().reduce<number>((sum, n) => sum + (n as number), 0);
    case '$ifNull': {
      const [value, fallback] = arg as unknown[];
      const v = evaluate(value, doc);
      return v === undefined || v === null ? evaluate(fallback, doc) : v;
    }
    case '$convert': {
      const { input, onError, onNull } = arg as { input: unknown; onError: unknown; onNull: unknown };
      const v = evaluate(input, doc);
      if (v === undefined || v === null) return onNull;
      const n = Number(v);
      return Number.isFinite(n) && String(v).trim() !== '' ? n : onError;
    }
    case '$toString':
      return String(evaluate(arg, doc));
    default:
      throw new Error(`operator ${op} not supported by the test evaluator`);
  }
}

function apply(pipeline: { $set: Record<string, unknown> }[], doc: Doc): Doc {
  return pipeline.reduce<Doc>((current, stage) => {
    const computed = Object.fromEntries(Object.entries(stage.$set).map(([field, expr]) => [field, evaluate(expr, current)]));
    return { ...current, ...computed };
  }, doc);
}

const T0 = new Date('2031-03-04T05:06:07.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('addViolationPipeline', () => {
  it('starts a window on a missing document (upsert)', () => {
    expect(apply(addViolationPipeline(1, 1000, T0), { subject: 's', type: 't' })).toEqual({ subject: 's', type: 't', score: 1, expiresAt: at(1000) });
  });

  it('adds to a live total and pushes its expiry out; restarts once a quiet period has passed (MB-05)', () => {
    let doc = apply(addViolationPipeline(1, 1000, T0), {});
    doc = apply(addViolationPipeline(2, 1000, at(500)), doc);
    expect(doc).toEqual({ score: 3, expiresAt: at(1500) });
    doc = apply(addViolationPipeline(1, 1000, at(1499)), doc);
    expect(doc).toEqual({ score: 4, expiresAt: at(2499) });
    // expiresAt == now is expired, as everywhere else in the port.
    expect(apply(addViolationPipeline(5, 1000, at(2499)), doc)).toEqual({ score: 5, expiresAt: at(3499) });
  });

  it('wraps every constant so no string or date is read as a field path or operator', () => {
    const json = JSON.stringify(addViolationPipeline(3, 1000, T0));
    expect(json).toContain('{"$literal":3}');
    expect(json).toContain(`{"$literal":"${at(1000).toISOString()}"}`);
  });
});

describe('incrementPipeline', () => {
  it('counts in a fixed window and mirrors the count into `value` as text', () => {
    let doc = apply(incrementPipeline(1, 1000, T0), { _id: 'hits' });
    expect(doc).toEqual({ _id: 'hits', counter: 1, value: '1', expiresAt: at(1000) });
    doc = apply(incrementPipeline(2, 1000, at(600)), doc);
    expect(doc).toEqual({ _id: 'hits', counter: 3, value: '3', expiresAt: at(1000) });
    doc = apply(incrementPipeline(1, 1000, at(1000)), doc);
    expect(doc).toEqual({ _id: 'hits', counter: 1, value: '1', expiresAt: at(2000) });
    doc = apply(incrementPipeline(1, 5000, at(1500)), doc);
    expect(doc).toEqual({ _id: 'hits', counter: 2, value: '2', expiresAt: at(2000) });
  });

  it('continues from a live numeric value written by set(), and from 0 for any other text', () => {
    expect(apply(incrementPipeline(1, 1000, T0), { value: '5', expiresAt: at(10) })).toMatchObject({ counter: 6, value: '6' });
    expect(apply(incrementPipeline(1, 1000, T0), { value: 'abc', expiresAt: at(10) })).toMatchObject({ counter: 1, value: '1' });
  });
});

describe('jest equality on ObjectIds (the mapping specs rely on it)', () => {
  it('tells different ObjectIds apart', () => {
    expect(new Types.ObjectId('aaaaaaaaaaaaaaaaaaaaaaaa')).not.toEqual(new Types.ObjectId('bbbbbbbbbbbbbbbbbbbbbbbb'));
    expect(new Types.ObjectId('aaaaaaaaaaaaaaaaaaaaaaaa')).toEqual(new Types.ObjectId('aaaaaaaaaaaaaaaaaaaaaaaa'));
  });
});
