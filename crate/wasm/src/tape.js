// Reads a tape written by crate/wasm/src/tape.rs (the layout is described
// there, word for word) into plain JavaScript values, in one call.

const NULL = 0, FALSE = 1, TRUE = 2, NUMBER = 3, STRING = 4, ARRAY = 5, OBJECT = 6, KNOWN_STRING = 7;
const NEW_KEY = 0xffffffff, ONE_KEY = 0xfffffffe;

/**
 * @param {string[]} keys the module's numbered strings (field names and enum
 *   variants); a tape adds to them
 * @param {Uint32Array} words
 * @param {Float64Array} numbers
 * @param {string} text every string of the value, one after another
 */
export function readTape(keys, words, numbers, text) {
  let at = 0;
  const string = () => {
    const start = words[at++];
    return text.substring(start, start + words[at++]);
  };
  const key = () => {
    const word = words[at++];
    if (word === NEW_KEY) {
      const number = words[at++];
      return (keys[number] = string());
    }
    if (word === ONE_KEY) return string();
    if (word >= keys.length) throw new Error(`word ${at - 1} names key ${word} of ${keys.length}`);
    return keys[word];
  };
  const value = () => {
    switch (words[at++]) {
      case NULL: return null;
      case FALSE: return false;
      case TRUE: return true;
      case NUMBER: return numbers[words[at++]];
      case STRING: return string();
      case KNOWN_STRING: return key();
      case ARRAY: {
        const size = words[at++];
        const array = [];
        for (let i = 0; i < size; i++) array.push(value());
        return array;
      }
      case OBJECT: {
        const size = words[at++];
        const object = {};
        for (let i = 0; i < size; i++) {
          const name = key();
          if (name === '__proto__') {
            // An own property, as JSON.parse makes it, not the prototype.
            Object.defineProperty(object, name, { value: value(), enumerable: true, writable: true, configurable: true });
          } else {
            object[name] = value();
          }
        }
        return object;
      }
      default:
        throw new Error(`word ${at - 1} of ${words.length} is not a value`);
    }
  };
  const out = value();
  if (at !== words.length) throw new Error(`the value ends at word ${at} of ${words.length}`);
  return out;
}
