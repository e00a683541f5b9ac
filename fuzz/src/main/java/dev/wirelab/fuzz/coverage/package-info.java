/** Guest coverage into the fuzzing engine (the edge map itself lives in the emulator's coverage package). */
package dev.wirelab.fuzz.coverage;
