"""Live tools for the lessons: each a form over one domain function, with worked examples as its static face.

``code_chooser.form()`` (lesson 02), ``drug_calculator.form()`` (lesson 03), ``fee_calculator.form()`` (lessons
04-05), ``payer_checklist.form()`` (lesson 07), ``explorer.rows()`` and ``explorer.local_coverage()`` (practice without
code), and ``progress_panel.panel()`` and ``progress_panel.name_form()`` (every lesson) return displays for a
notebook cell. Every form shares ``base.Tool``.
"""
