/**
 * The typed fuzz input: what one execution does, as data. {@link dev.wirelab.fuzz.input.InputDecoder}
 * is the only code that decides how fuzzer bytes map to actions; {@link dev.wirelab.fuzz.input.InputEncoder}
 * is its inverse, so seeds are written as readable Java and findings print as actions.
 */
package dev.wirelab.fuzz.input;
