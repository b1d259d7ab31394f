"""The rules, pure: facts, metrics, eligibility, results, the life-cycle rules, rubric scoring
and the wording of numbers and gaps. No SQLAlchemy, no file or network I/O: plain facts and a
loaded policy in, cited findings out."""
