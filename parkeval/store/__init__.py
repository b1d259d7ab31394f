"""The only place with SQL: engine and session set-up (:mod:`.database`), the tables
(:mod:`.tables`) and their migrations, the park snapshot loader (:mod:`.snapshot`), writes of
dossiers (:mod:`.dossiers`) and life-cycle records (:mod:`.lifecycle`), and the audit log
(:mod:`.audit`)."""
