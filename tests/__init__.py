"""The suite. Imported before any test module or conftest, so what is set here holds for
every library the tests load.

Numerical kernels are chosen per CPU: CTranslate2 (the Whisper decodes) uses AVX-512 or
AMX where the processor has them, and OpenBLAS picks its own kernels per processor. The
suite compares transcripts and the PII spans found in them with what the same audio gave
before, so it pins both to the AVX2 kernels every x86-64 CI machine has: on an AVX-512
machine the unpinned decodes differ by a word here and there (a resumed stream's
hallucinated "I'm sorry", a card span 0.2 s short). An environment that sets either
variable keeps its own choice.
"""

import os

os.environ.setdefault("CT2_FORCE_CPU_ISA", "AVX2")
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
