"""Use cases: the run's settings in, typed results out. Import and dossier files
(:mod:`.dossiers`), certification (:mod:`.certify`), the life cycle (:mod:`.lifecycle`),
assessments (:mod:`.assess`), parks (:mod:`.parks`), the demo (:mod:`.demo`) and
administration (:mod:`.admin`). The CLI and the reports call these and nothing below them."""
