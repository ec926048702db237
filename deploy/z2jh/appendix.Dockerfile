# Extra build steps for repo2docker (--appendix "$(cat deploy/z2jh/appendix.Dockerfile)"). Not run here.
# 1. Validate the course's tables once, into the image: every kernel then loads them instead of validating them
#    (measured on the local hub: a first kernel takes about half the memory and a third of the CPU time).
RUN CPT64612_CACHE_DIR=${REPO_DIR}/.table-cache python -c "from helpers import data; data.load('codes')"
# 2. Only for the nbgitpuller link (deploy/README.md): the extension that clones the course into each home.
RUN python -m pip install --no-cache-dir "nbgitpuller>=1.2,<2"
