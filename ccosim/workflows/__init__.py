"""What a front end asks of a study, from run to answers to report folder.

One module per question: :mod:`~ccosim.workflows.compare` (several designs, with or without
draws), :mod:`~ccosim.workflows.business_case` (the CEO's one-pager) and
:mod:`~ccosim.workflows.sweep` (a grid of assumptions). Each takes a
:class:`~ccosim.experiment.study.Study`, returns answers that render their own text and
JSON, and writes the report folder. The CLI and the studio call these and only parse input
and show output; this package sits above :mod:`ccosim.report` and below both front ends.
"""
