"""Live tools for the lessons: each a form over one domain function, with worked examples as its static face.

``code_chooser.form()`` and ``drug_calculator.form()`` (lesson 02), ``fee_calculator.form()`` (lesson 03),
``payer_checklist.form()`` (lesson 04), ``explorer.rows()`` and ``explorer.local_coverage()`` (practice without
code), and ``progress_panel.panel()`` and ``progress_panel.name_form()`` (every lesson) return displays for a
notebook cell. Every form shares ``base.Tool``.
"""
