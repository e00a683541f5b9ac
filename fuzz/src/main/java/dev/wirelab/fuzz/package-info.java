/** Jazzer fuzz targets, campaign runner, crash triage and repro generation. */
package dev.wirelab.fuzz;
