#!/bin/sh
# run.sh — the main job of `make run`: show what lks does with real figures.
# (The server of the later work replaces this; for now the command line is the product.)
set -eu
L=build/lks
echo "== lks --help"
$L --help
echo
echo "== Loonkostensubsidie, loonwaarde 60%, 32 uur, peildatum 2026-01-01"
$L calc lks --peildatum 2026-01-01 --loonwaarde 60 --uren 32
echo
echo "== Beslistermijn: 5 weken na vaststelling loonwaarde op 2026-04-20 (Atw)"
$L termijn --vanaf 2026-04-20 --weken 5
