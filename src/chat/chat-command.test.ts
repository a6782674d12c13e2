import { describe, expect, it } from 'vitest';
import { loadDefaultTickers, TickerRegistry } from '../registry/ticker-registry.js';
import { parseChatCommand } from './chat-command.js';

const registry = new TickerRegistry(loadDefaultTickers());
const parse = (text: string) => parseChatCommand(text, registry);

describe('chat command parser', () => {
  it('reads a bare symbol in any form, Thai company names included', () => {
    for (const text of ['nvda', 'NVDA19', ' Nvda ', '/nvda', 'รายงาน NVDA', 'report nvda19', '/report@daybreak_bot NVDA']) {
      expect(parse(text)).toEqual({ kind: 'report', symbols: ['NVDA19'], unknown: [] });
    }
    expect(parse('ดีบีเอส')).toEqual({ kind: 'report', symbols: ['DBS19'], unknown: [] });
    expect(parse('d05.si')).toMatchObject({ symbols: ['DBS19'] });
    expect(parse('0700.hk')).toMatchObject({ symbols: ['TENCENT19'] });
    expect(parse('nvda aapl')).toMatchObject({ kind: 'report', symbols: ['NVDA19', 'AAPL19'] });
  });

  it('answers an unknown symbol with suggestions', () => {
    const command = parse('NVDX');
    expect(command).toMatchObject({ kind: 'report', symbols: [], unknown: [{ input: 'NVDX' }] });
    expect((command as { unknown: { suggestions: string[] }[] }).unknown[0]!.suggestions).toContain('NVDA19');
  });

  it('reads follow, unfollow, list, brief, lang and help in Thai and English, with or without a slash', () => {
    expect(parse('follow nvda AAPL19')).toEqual({ kind: 'follow', symbols: ['NVDA19', 'AAPL19'], unknown: [] });
    expect(parse('/follow nvda, dbs')).toEqual({ kind: 'follow', symbols: ['NVDA19', 'DBS19'], unknown: [] });
    expect(parse('ติดตาม NVDA ดีบีเอส')).toEqual({ kind: 'follow', symbols: ['NVDA19', 'DBS19'], unknown: [] });
    expect(parse('ติดตามNVDA')).toEqual({ kind: 'follow', symbols: ['NVDA19'], unknown: [] });
    expect(parse('เลิกติดตาม NVDA')).toEqual({ kind: 'unfollow', symbols: ['NVDA19'], unknown: [] });
    expect(parse('/unfollow nvda zzzz')).toMatchObject({ kind: 'unfollow', symbols: ['NVDA19'], unknown: [{ input: 'zzzz' }] });
    for (const text of ['list', '/list', 'รายการ', 'LIST']) expect(parse(text)).toEqual({ kind: 'list' });
    for (const text of ['brief', '/brief', 'สรุปตลาด']) expect(parse(text)).toEqual({ kind: 'brief' });
    expect(parse('lang en')).toEqual({ kind: 'lang', language: 'en' });
    expect(parse('/lang th')).toEqual({ kind: 'lang', language: 'th' });
    expect(parse('ภาษา อังกฤษ')).toEqual({ kind: 'lang', language: 'en' });
    expect(parse('lang klingon')).toEqual({ kind: 'lang', language: null });
    for (const text of ['help', '/help', 'ช่วยเหลือ', '/start', '']) expect(parse(text)).toEqual({ kind: 'help' });
  });

  it('turns bad input into an answerable command, never an exception', () => {
    expect(parse('follow')).toEqual({ kind: 'need_symbols', command: 'follow' });
    expect(parse('ติดตาม')).toEqual({ kind: 'need_symbols', command: 'ติดตาม' });
    expect(parse('/report')).toEqual({ kind: 'need_symbols', command: 'report' });
    expect(parse('A'.repeat(500))).toEqual({ kind: 'symbol_too_long' });
    expect(parse('x'.repeat(10_000))).toMatchObject({ kind: 'not_understood' });
    expect(parse('สวัสดีครับ วันนี้อากาศดี')).toMatchObject({ kind: 'not_understood' });
    expect(parse('listen to me')).toMatchObject({ kind: 'not_understood' });
    expect(parse(`follow ${'B'.repeat(300)}`)).toEqual({ kind: 'symbol_too_long' });
  });
});
