/**
 * The stream fuzz targets: {@code tcp-listen}, {@code tcp-established}, {@code tcp-interleave}, each a
 * standalone Jazzer entry ({@code Tcp*Target}) and a JUnit {@code @FuzzTest} (tests, same package).
 * (Not "target": the repository ignores every directory of that name.)
 */
package dev.wirelab.fuzz.targets;
