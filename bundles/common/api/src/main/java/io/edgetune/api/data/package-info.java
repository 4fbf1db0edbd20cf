/** Where EdgeTune keeps the files that must survive a restart (models, partial uploads, sample spool, native cache). */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.data;
