"""Dossiers in and out: the schema (:mod:`.schema`), validation (:mod:`.validate`), YAML/JSON
(:mod:`.structured`) and Excel (:mod:`.xlsx`, :mod:`.template`) readers and writers, and
synthetic provinces (:mod:`.synth`). No database."""
