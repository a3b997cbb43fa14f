# Les messages de grade en français. Chaque clé a sa jumelle anglaise dans ../en/grade.ftl (un
# test unitaire vérifie que les deux fichiers ont les mêmes clés). Les nombres arrivent déjà
# formatés, avec un point décimal, comme le programme de l'étudiant les affiche.

## Le juge : pourquoi une vérification n'a pas réussi

judge-tolerance-close = tolérance { $atol } + { $rtol }·|attendu|
judge-tolerance-relative = tolérance relative { $rtol }
judge-text = du texte
judge-shape = la forme { $shape }
judge-shape-mismatch = `{ $name }` a { $got }, attendu { $want } (scénario { $scenario })
judge-why-text = c'est du texte, pas des nombres
judge-why-empty = il n'a aucun élément
judge-why-skipped = les { $count } éléments ont tous été écartés
judge-nothing-to-compare = rien à comparer dans `{ $name }` : { $why } (scénario { $scenario })
judge-worst = `{ $element }` : attendu { $expected }, obtenu { $got } ({ $tolerance } ; scénario { $scenario })
judge-elements-differ = { $count ->
        [one] { $count } élément sur { $total } diffère
       *[other] { $count } éléments sur { $total } diffèrent
    } ; le pire : { $worst }
judge-with-meaning = { $meaning } : { $detail }
judge-empty = vide
judge-zero = nul
judge-no-direction = rien pour juger la direction : `{ $key }` est { $how } (scénario { $scenario })
judge-does-not-move = `{ $key }` est nul : il ne bouge pas
judge-in-scenario = { $what } (scénario { $scenario })
judge-not-aligned = `{ $a }` ne va pas dans le sens de `{ $b }`
judge-dot-product = { $what } (scénario { $scenario } : le produit scalaire vaut { $dot })
judge-too-short-to-fall = { $what } : { $count ->
        [one] { $count } seule valeur
       *[other] { $count } valeurs
    }, il en faut au moins deux pour la voir baisser (scénario { $scenario })
judge-in-step = ({ $noun } { $k } sur { $steps })
judge-at-step = (pas { $k } sur { $steps })
judge-not-finite = { $what } vaut { $value } (valeur { $index } sur { $count } ; scénario { $scenario })
judge-stays = { $from } reste à { $to }
judge-rises = { $from } monte à { $to }
judge-does-not-fall = { $what } ne baisse pas { $step } : { $change } (scénario { $scenario })
judge-reference-unusable = la référence n'a rien observé sur le scénario { $scenario } : { $problem }
judge-no-reference = aucune observation de la référence pour le scénario { $scenario }
judge-reference-missing-key = la référence n'a pas rapporté `{ $key }` (scénario { $scenario })
judge-no-key = la sonde n'a pas rapporté `{ $key }` (scénario { $scenario })
judge-wrong-count = `{ $key }` a { $got } { $got ->
        [one] valeur
       *[other] valeurs
    }, attendu { $expected } (`{ $count }`)
judge-printed-too-much = trop de sortie pour vérifier les lignes `{ $prefix }…` (scénario { $scenario })
judge-no-line-expected = aucune ligne `{ $prefix }…` n'était attendue : rien n'a pu être vérifié (scénario { $scenario })
judge-first-extra = ; première ligne en trop : `{ $line }`
judge-one-per = , une par `{ $count }`
judge-wrong-line-count = { $count ->
        [one] { $count } ligne affichée commence
       *[other] { $count } lignes affichées commencent
    } par `{ $prefix }`, attendu { $wanted }{ $per }{ $extra } (scénario { $scenario })
judge-line-without-value = la ligne affichée { $n } est `{ $line }`, mais `{ $key }` n'a que { $count } { $count ->
        [one] valeur
       *[other] valeurs
    } pour la comparer (scénario { $scenario })
judge-wrong-line = la ligne affichée { $n } est `{ $line }`, attendu `{ $want }` (scénario { $scenario })

## Comment une exécution de la sonde s'est terminée sans observations

panic-at = {" "}à { $place }
panic-todo = pas encore écrit (todo!(){ $at }){ $detail }
panic-in-gave-up = , dans { $operation } (qui a abandonné à { $place })
panic-in = , dans { $operation }
panic-inside = {" "}(dans { $place })
panic-panicked = a paniqué{ $at }{ $inside } : { $message }{ $context }
failure-timed-out = délai dépassé après { $seconds } s
failure-cpu-limit = arrêté : limite de temps CPU de { $seconds } s
failure-memory-limit = arrêté : limite de mémoire de { $mib } Mio
failure-stack-overflow = débordement de pile
failure-file-too-large = arrêté : a écrit un fichier plus grand que la limite
failure-sigkill = tué (SIGKILL)
failure-sigabrt = interrompu (SIGABRT)
failure-sigsegv = planté (erreur de segmentation)
failure-signal = tué par le signal { $signal }
failure-exited-early = terminé avec le code { $code } avant d'avoir rapporté
failure-too-much = a rapporté plus de { $mib } Mio d'observations
failure-long-name = a rapporté une observation dont le nom dépasse { $cap } octets
failure-rejected = la sonde a refusé le scénario `{ $scenario }` : { $message }
failure-not-observations = a rapporté autre chose que des observations
not-built-limit = la soumission ne compile pas : { $limit }
not-built = la soumission ne compile pas (voir les messages du compilateur)
not-built-variant = { $variant } ne compile pas :
    { $diagnostics }
not-built-no-build = pas de compilation `{ $build }`

## Le rapport pour le terminal

report-graded = noté : { $submission }
report-seed = scénarios tirés de la graine { $seed }
report-does-not-compile = Votre code ne compile pas. Le compilateur dit :
report-score = note { $total }
report-start-here = Commencez ici :
report-start-compile = faites compiler votre code (la première erreur du compilateur, ci-dessus) : aucune vérification ne peut tourner avant.
report-start-unwritten = { $check }, dont le code est encore un todo!() : écrivez-le d'abord (backward passe avant fit, qui l'appelle).
report-start-mistake = { $check }, la première vérification qui échoue dans l'ordre de l'exercice ; l'erreur connue { $mistake } ci-dessous l'explique.
report-start-failing = { $check }, la première vérification qui échoue dans l'ordre de l'exercice (backward avant fit : fit appelle backward).
report-mistake = Erreur connue { $n } ({ $id }) :
report-mistake-checks = { $count ->
        [one] explique la vérification
       *[other] explique les vérifications
    } { $checks }
report-hint = conseil :
chart-legend-both = { $mine } la vôtre  { $theirs } la référence
chart-legend-mine = { $mine } la vôtre
chart-legend-reference = { $theirs } la référence (la vôtre n'a pas tourné)


## Erreurs

error-prefix = erreur : { $error }
error-grade-lang = erreur : GRADE_LANG vaut `{ $value }`, une langue que grade ne parle pas : mettez `en` ou `fr`, ou retirez-la

## grade validate

lang-en = anglais
lang-fr = français
validate-head = { $exercise } : la référence, le squelette et { $mistakes } erreurs connues sur { $checks } vérifications
validate-legend = ✓ réussit   ✗ perd les points (une erreur : reconnue comme elle-même)   ? non reconnue   ≠ reconnue comme une autre erreur
validate-passed = validation réussie
validate-failed = échec de la validation : { $count } problème(s)
validate-ok = ok
validate-problem-mark = PROBLÈME
validate-problem = problème :
validate-untranslated = { $file }:{ $line } : { $key } n'a pas de texte en { $language } : ajoutez `{ $code } = "…"`
validate-expected-current = { $path } est à jour
validate-expected-stale = { $path } n'est pas à jour : lancez `grade bless` pour le réécrire
validate-expected-seed = { $path } non comparé (scénarios tirés de --seed)
validate-reference-not-full = la référence n'a pas la note maximale : { $lost }
validate-stub-passes = le squelette réussit { $checks }
validate-mistake-not-caught = ne perd aucun point : aucune vérification n'attrape `{ $id }` ({ $title })
validate-diagnosed-as = sur { $check }, elle est reconnue comme `{ $other }`
validate-not-diagnosed = sur { $check }, elle n'est pas reconnue ({ $message })
chart-head = { $title } ({ $check }) : { $legend }

## Les mots des rapports pour les machines (les identifiants, clés et nombres ne changent pas)

report-points = { $score }/{ $max } points
report-worst-in-words = `{ $element }` dans le scénario { $scenario } : attendu { $expected }, obtenu { $got }
report-hidden-seed = scénarios tirés d'une graine cachée
junit-does-not-compile = la soumission ne compile pas
junit-compile-error = erreur de compilation
junit-check-failed = vérification échouée
junit-check-not-judged = vérification non jugée
junit-worst = pire élément : { $worst }
junit-diagnosis = diagnostic : { $mistake }
gradescope-build = compilation : la soumission compile
gradescope-see-build = Votre code ne compile pas : voir le test de compilation pour les messages du compilateur.
gradescope-worst = Pire élément : { $worst }
gradescope-hint = Conseil ({ $mistake }) :
markdown-does-not-compile = **Votre code ne compile pas.** Le compilateur dit :
markdown-check = vérification
markdown-points = points
markdown-total = total
markdown-hint = **conseil** (`{ $mistake }`) :

## grade batch

batch-graded = { $graded } soumissions sur { $total } notées en { $seconds } s
batch-mean = {"\u00A0"}: moyenne { $mean }/{ $max }, { $full } avec la note maximale, { $broken } qui ne compilent pas
batch-not-graded = non notée : { $name } : { $error }
batch-wrote = { $csv }, le rapport de classe { $page } (et summary.md) et { $count } rapports dans { $reports } écrits
batch-no-folder = { $path } : pas de dossier de soumissions à cet endroit
batch-empty = { $path } ne contient aucune soumission (un fichier .rs ou un dossier chacune)
error-missing-exercise = { $path } : pas de dossier d'exercice à cet endroit (attendu : un dossier contenant exercise.toml)
error-toolchain = impossible de lancer `{ $program }` : { $message } (installez une chaîne d'outils Rust depuis https://rustup.rs, ou faites pointer les variables RUSTC et CARGO vers une)
error-free = , { $free } libres
error-no-space = plus de place sur le disque sous { $path }{ $free } ({ $context }) : libérez de la place, ou passez --cache-dir (ou définissez GRADE_CACHE_DIR) pour mettre le cache sur un disque qui en a
error-damaged-cache = une entrée du cache a été abîmée pendant la notation ({ $what }) : notez de nouveau, elle sera refaite


## --help : `help-<commande>-<argument>`, sinon `help-common-<argument>` ; `\n` commence un paragraphe

help-grade-about = Un correcteur automatique pour un exercice de rétropropagation : compile le module de l'étudiant, l'exécute à côté d'une référence et affiche un rapport noté
help-grade-long-about = Note l'exercice de rétropropagation d'un étudiant : compile son module, l'exécute à côté de la référence sur des graines fixes, vérifie les gradients et l'entraînement, et affiche un rapport noté.\n\nCodes de sortie : 0 toutes les vérifications réussissent ; 1 noté, une vérification au moins échoue (une soumission qui ne compile pas est notée) ; 2 notation impossible (mauvais arguments, exercise.toml invalide, fichier manquant, pas de chaîne d'outils, ou une faute de grade lui-même : disque plein, compilateur planté, cache abîmé).
help-grade-exercise = Le dossier de l'exercice (qui contient exercise.toml), par exemple exercises/backprop
help-grade-submission = Noter cette soumission au lieu de celle du dossier de l'exercice : un fichier .rs, ou un dossier organisé comme l'exercice (src/backprop.rs). Tout le reste vient de EXERCISE
help-grade-format = Le format du rapport : sur la sortie standard, ou dans le fichier --output
help-grade-output = Écrire le rapport au format --format dans FILE ; le rapport lisible va toujours sur la sortie standard
help-grade-min-score = Sortir avec 0 quand la note atteint S, même si des vérifications échouent (un seuil de CI). Une soumission qui n'a pas pu être notée sort toujours avec 2
help-grade-watch = Noter de nouveau à chaque enregistrement de la soumission, en montrant l'évolution de la note ; `q` puis Entrée (ou Ctrl-C) pour quitter
help-common-seed = Tirer la graine de chaque scénario de N au lieu des graines livrées (demande le source de la référence)
help-common-cache-dir = Où sont gardés les dépendances compilées, les compilations et les observations de la référence [par défaut : $XDG_CACHE_HOME/grade ou ~/.cache/grade]
help-common-cache-max = La taille maximale du cache, par exemple 500M ou 2G : au-delà, les compilations, observations et dossiers de travail les moins récemment utilisés sont supprimés après chaque notation [par défaut : 1G]
help-common-jobs = Compilations et exécutions de la sonde en même temps [par défaut : le nombre de cœurs]
help-common-verbose = Dire aussi sur la sortie d'erreur ce que cette machine ne laisse pas faire au bac à sable pour les exécutions et les compilations, et ce que le cache a trouvé abîmé et refait
help-common-lang = La langue des rapports, des messages et de l'aide [par défaut : GRADE_LANG, sinon la locale (LC_ALL, LC_MESSAGES, LANG : fr_* donne le français), sinon l'anglais]
help-validate-about = Pour les enseignants : prouver que la référence a la note maximale, le squelette aucun point, et que chaque erreur connue perd des points et est reconnue. Sort avec 0 seulement si tout cela tient
help-validate-exercise = Le dossier de l'exercice, avec la référence et les erreurs connues à côté
help-validate-seed = Valider sur des scénarios tirés de N au lieu des graines livrées
help-validate-seeds = Prouver aussi les vérifications sur de nombreuses graines : N donne les graines 1 à N, A..=B (ou A..B, sans B) un intervalle. La référence doit avoir la note maximale, et chaque erreur connue perdre les mêmes vérifications que sur les graines livrées et y être reconnue, sous chacune d'elles ; un tableau dit où ce n'est pas le cas (environ 3 s par graine sur 2 cœurs)
help-bless-about = Pour les enseignants : écrire expected.json, les observations de la référence et des erreurs connues sur les graines livrées, pour qu'une copie de l'exercice sans solutions/ puisse noter
help-bless-exercise = Le dossier de l'exercice, avec la référence et les erreurs connues à côté
help-batch-about = Pour les enseignants : noter toutes les soumissions d'un dossier, plusieurs à la fois, dans grades.csv (une ligne chacune : note, points de chaque vérification, erreurs reconnues, une colonne d'erreur) et un rapport JSON chacune. Sort avec 0 quand chaque soumission a été notée (même en échec), 2 sinon
help-batch-exercise = Le dossier de l'exercice, de confiance (qui contient exercise.toml)
help-batch-submissions = Un dossier avec une entrée par soumission : un fichier .rs, ou un dossier organisé comme l'exercice (au nom de l'étudiant)
help-batch-out = Où vont grades.csv et les rapports JSON [par défaut : `grades` à côté de SUBMISSIONS, c'est-à-dire SUBMISSIONS/../grades ; ./grades quand SUBMISSIONS n'a pas de parent]
help-batch-jobs-per-submission = Compilations et exécutions de la sonde que chaque lot de soumissions lance à la fois (les compilations d'un lot forment un seul paquet) ; JOBS / ce nombre de lots sont notés à la fois. Un est en général le plus rapide
help-batch-no-bundle = Compiler chaque soumission seule plutôt qu'en paquets : environ deux fois plus lent, mais aucun binaire de sonde ne contient le code compilé de plus d'une soumission
help-cache-about = Où est le cache, ce qu'il contient de chaque sorte, et sa taille maximale. Au-delà, chaque notation supprime les compilations, observations et dossiers de travail les moins récemment utilisés (jamais ce qu'une notation en cours utilise) ; `grade cache clean` le vide
help-cache-cache-dir = Le dossier du cache [par défaut : $XDG_CACHE_HOME/grade ou ~/.cache/grade]
help-cache-cache-max = La taille maximale du cache, par exemple 500M ou 2G [par défaut : 1G]
help-cache-clean-about = Supprime du cache tout ce qu'aucune notation en cours n'utilise (la prochaine notation recompile les dépendances)
help-doctor-about = Ce que cette machine permet à grade : la chaîne d'outils Rust avec laquelle il compile, comment les exécutions de la sonde et les compilations sont isolées ici et ce que cela laisse de côté, et le cache. Sort avec 0 quand grade peut noter ici, 2 quand il manque quelque chose (et dit quoi)

## Progression, mode surveillance et bless

progress-reference = compilation de la solution de référence (une fois ; en cache)
progress-reference-and-mistakes = compilation de la solution de référence et de { $count } erreurs connues (une fois ; en cache)
progress-deps = compilation des dépendances de l'exercice ({ $names }) { $why }
progress-deps-once = une fois pour cette chaîne d'outils ; les notations suivantes les réutilisent
progress-deps-library = de nouveau, pour la bibliothèque modifiée
progress-deps-damaged = de nouveau : celles du cache sont abîmées ou utilisées par une autre notation
progress-deps-step = compilation des dépendances, une seule fois : { $count } crates faites, dernière { $last }
progress-sweep = balayage des graines : graine { $seed } ({ $n } sur { $total }{ $eta })
progress-sweep-left = , environ { $seconds } s restantes
watch-footer = surveillance de { $files } : enregistrez pour noter de nouveau · Entrée note de nouveau · q puis Entrée pour quitter
bless-wrote = { $path } écrit : les observations de la référence et de { $mistakes } erreurs connues sur { $scenarios } scénarios
error-no-reference-seeds = { $exercise } n'a pas de solution de référence à côté : --seeds a besoin de solutions/
error-no-reference-bless = { $exercise } n'a pas de solution de référence à côté : bless a besoin de solutions/


## grade validate --seeds

sweep-name = balayage des graines
sweep-head = { $sweep } : la référence et { $mistakes } erreurs connues sous { $seeds }, comparées aux graines livrées
sweep-legend = ✓ réussit sous chaque graine   ✗ perd les points sous chaque graine   N : les perd sous N des { $count } graines, contrairement aux graines livrées
sweep-seed-problem = graine { $seed } : { $why }
sweep-passed = chaque erreur connue perd les mêmes vérifications sous les { $count } graines
sweep-failed = échec du balayage des graines : { $count } problème(s)
sweep-seeds = les graines { $first } à { $last }
sweep-seed = la graine { $seed }
sweep-no-seed = aucune graine
sweep-caught-shipped = attrapées sur les graines livrées
sweep-caught-fewest = attrapées au minimum
sweep-at-seed = {" "}(graine { $seed })
sweep-caught = { $shipped } erreurs connues attrapées sur les graines livrées, { $fewest } au minimum{ $at }

## grade cache

cache-summary = cache : { $path }
    taille : { $size } sur un maximum de { $max } (--cache-max ou GRADE_CACHE_MAX ; au-delà de 90 %, le moins récemment utilisé est supprimé)
cache-free = { $free } libres sur son disque
cache-removed = { $count } entrées supprimées ({ $freed }) de { $path }
cache-left = { $count } entrées laissées, utilisées par une notation en cours ({ $size } en tout maintenant)
cache-kind-deps = dépendances : les crates de l'exercice, compilées une fois par chaîne d'outils
cache-kind-work = dossiers de travail : sources des compilations et état incrémental de rustc
cache-kind-builds = compilations : les sondes compilées et leurs enregistrements
cache-kind-outcomes = observations de la référence et des erreurs connues
cache-kind-tmp = dossiers temporaires
cache-kind-other = autres fichiers


## Les mots de clap dans --help

help-usage-heading = Utilisation :
help-commands-heading = Commandes
help-flag = Afficher l'aide (-h : un résumé ; --help : tout)
help-version-flag = Afficher la version, avec celle du compilateur

## Une soumission qui ne peut pas être compilée telle quelle

limit-memory = compiler votre code a demandé plus de { $size } de mémoire (la limite de grade pour une compilation)
limit-cpu = compiler votre code a demandé plus de { $seconds } s de temps CPU (la limite de grade pour une compilation)
limit-file-size = compiler votre code a écrit un fichier plus grand que { $size } (la limite de grade pour une compilation) : une constante ou une statique aussi grande ne peut pas être notée
limit-wall = le compilateur n'a pas fini en { $seconds } s
limit-error = erreur : { $limit }
stage-reads-files = erreur : `{ $what }` lit des fichiers de la machine de notation ; une soumission ne peut pas l'utiliser
    {" "}--> { $place }
stage-variant = impossible de préparer { $title } : { $why }
splice-replacements = le fichier de remplacement ne s'analyse pas : { $message }
splice-missing = le fichier de remplacement n'a pas de `{ $item }`
splice-submission = la soumission ne s'analyse pas (ligne { $line }, colonne { $column }) : { $message }


## Erreurs dans exercise.toml et mistakes.toml (dites avec le fichier, la ligne et la colonne)

spec-expected-whole = attendu : un nombre entier, 0 ou plus
spec-no-file = le fichier d'exercice `{ $file }` n'existe pas dans { $dir }
spec-no-submission = `submission` ne liste aucun fichier
spec-limit-seconds = `limits.{ $name }` doit être un nombre positif de secondes, au plus { $max }
spec-limit-range = `limits.{ $name }` doit être un nombre entier de 1 à { $max }
spec-duplicate-build = identifiant de compilation `{ $id }` en double
spec-variant-file = la variante `{ $id }` remplace des éléments de `{ $file }`, qui n'est pas un fichier de la soumission
spec-variant-from = variante `{ $id }` : le fichier `{ $file }` n'existe pas
spec-variant-item = variante `{ $id }` : `{ $item }` n'est pas de la forme Type::méthode
spec-duplicate-scenario = identifiant de scénario `{ $id }` en double
spec-scenario-build = le scénario `{ $id }` tourne sur la compilation `{ $build }`, qui n'est ni `main` ni une variante
spec-scenario-seed = scénario `{ $id }` : donnez la graine dans `seed`, pas dans `args`
spec-duplicate-check = identifiant de vérification `{ $id }` en double
spec-points-overflow = vérification `{ $id }` : les points de toutes les vérifications dépassent { $most }
spec-no-check = l'exercice ne déclare aucun `[[check]]`
spec-check = vérification `{ $id }`{ $message }
spec-check-no-scenario = {" "}ne sélectionne aucun scénario : indiquez-en au moins un dans `scenarios`
spec-check-no-rule = {" "}n'attend rien : donnez au moins une règle `expect`
spec-check-timeout = {"\u00A0"}: timeout doit être un nombre positif de secondes, au plus { $max }
spec-check-no-match = {"\u00A0"}: aucun scénario ne correspond à `{ $pattern }`
spec-check-problem = {"\u00A0"}: { $problem }
spec-count-not-whole = `count = "{ $count }"` nomme `{ $arg }`, que le scénario `{ $scenario }` ne donne pas comme nombre entier
spec-count-negative = `count = "{ $count }"` est négatif pour le scénario `{ $scenario }`
spec-starred = `{ $a }` et `{ $b }` doivent tous deux finir par `*`, ou aucun des deux
spec-not-a-count = `{ $text }` n'est pas un compte : donnez un nombre entier, ou le nom d'un argument du scénario suivi éventuellement de `+ N` ou `- N` (par exemple "epochs + 1")
spec-stdout-template = un modèle stdout doit commencer par du texte littéral
spec-duplicate-mistake = identifiant d'erreur `{ $id }` en double
spec-mistake-no-file = erreur `{ $id }` : pas de fichier { $file }
spec-expected-unreadable = pas un fichier écrit par `grade bless` ({ $error }) ; relancez `grade bless`


## La référence, la sonde et les fichiers de la soumission

error-reference = la solution de référence { $what } : { $message }
error-probe = la sonde de l'exercice { $message }
probe-rejected = a refusé le scénario `{ $scenario }` : { $message }
reference-not-in-copy = n'est pas dans cette copie de l'exercice
reference-other-versions = { $expected } a été fait pour d'autres versions de { $changed }. Remettez ces fichiers tels qu'on vous les a donnés (seul votre { $submission } est noté), ou demandez une nouvelle copie de l'exercice.
reference-is-missing = manque
reference-missing-seed = --seed a besoin du source de la référence pour sonder de nouveaux scénarios, et cette copie de l'exercice ne l'a pas
reference-missing-copy = cette copie de l'exercice n'a ni le source de la référence ni de expected.json (`grade bless` l'écrit)
reference-no-file = exercise.toml ne nomme aucun fichier de référence existant
reference-unstaged = ne peut pas être préparée (compilation `{ $build }`)
reference-does-not-compile = ne compile pas (compilation `{ $build }`)
reference-fails = échoue sur le scénario `{ $scenario }`
submission-many-files = cet exercice prend { $count } fichiers ({ $files }) : donnez un dossier organisé comme l'exercice
submission-no-file = pas de `{ $file }` dans ce dossier (le fichier que cet exercice note)
submission-missing = pas de fichier ni de dossier à cet endroit

error-at-path = { $path } : { $message }
spec-no-language = `languages` ne liste aucune langue : donnez `["en"]`, `["en", "fr"]`…

## Le rapport de classe de grade batch (report.html, summary.md et leurs graphiques)

class-heading = Rapport de classe : { $title }
class-submitted = soumissions
class-graded = notées
class-mean = moyenne
class-median = médiane
class-full-marks = note maximale
class-not-compiling = ne compilent pas
class-not-graded = n'ont pas pu être notées
class-hidden-seed = Scénarios tirés d'une graine cachée.
class-distribution = Répartition des notes
class-checks = Vérifications
class-check = vérification
class-what-passes = condition de réussite
class-points = points
class-passed = réussie par
class-mistakes = Erreurs reconnues
class-mistakes-column = erreurs reconnues
class-no-mistakes = Aucune erreur connue n'a été reconnue.
class-mistake = erreur
class-hint = indice
class-on-checks = sur les vérifications
class-unexplained = Échecs qu'aucune erreur connue n'explique
class-unexplained-note = Regroupés par vérification : autant de candidats pour le catalogue des erreurs connues.
class-none-unexplained = Chaque échec s'explique par une erreur connue.
class-did-not-compile = Soumissions qui ne compilent pas
class-were-not-graded = Soumissions qui n'ont pas pu être notées
class-every-submission = Toutes les soumissions
class-submission = soumission
class-score = note
class-compiles = compile
class-error = non notée
class-yes = oui
class-no = non
class-nothing = Aucune.
class-chart-failed = Le graphique n'a pas pu être tracé
class-chart-panicked = la bibliothèque de tracé a paniqué
class-submissions-count = { $count ->
    [one] { $count } soumission
   *[other] { $count } soumissions
}
class-chart-score = note
class-chart-submissions = soumissions
class-chart-passed = réussie (% des soumissions notées)

## grade doctor et grade --version

version-compiles-with = compile avec { $version } ({ $rustc })
version-no-toolchain = pas de chaîne de compilation Rust : { $error }
doctor-header = grade { $version } sur { $os } ({ $arch })
doctor-label-toolchain = chaîne Rust
doctor-label-probe = sonde
doctor-label-build = compilations
doctor-label-note = remarque
doctor-label-cache = cache
doctor-toolchain-paths = { $rustc }, avec { $cargo }
doctor-toolchain-none = aucune : { $error }
doctor-need-toolchain = d'une chaîne de compilation Rust (https://rustup.rs)
doctor-bounds = (chaque processus enfant : limité en durée, en mémoire, en temps CPU, en taille de fichier et en sortie ; son groupe de processus est tué quand il se termine)
doctor-cache = { $path } : { $size } sur un plafond de { $cap }
doctor-cache-free = , { $free } libres sur son disque
doctor-cache-unusable = inutilisable : { $error }
doctor-need-cache = d'un dossier de cache où grade peut écrire (--cache-dir ou GRADE_CACHE_DIR)
doctor-ready = prêt : grade peut noter sur cette machine
doctor-not-ready = pas prêt : grade a besoin { $missing }
doctor-and = et
doctor-yes = oui
doctor-no = non
doctor-isolation-probe = isolation des exécutions de la sonde : { $how }
doctor-isolation-build = isolation des compilations : { $how }
guarantee-no-network = réseau coupé
guarantee-writes-only-scratch = écritures confinées à son dossier de travail
guarantee-hidden-folders = le cache, l'exercice et les solutions cachés
guarantee-cannot-signal-grade = grade hors de sa portée (il ne peut pas lui envoyer de signal)
guarantee-nothing-outlives = aucun processus qu'il lance ne lui survit
isolation-namespaces = espaces de noms Linux (PID, réseau, montage, IPC, UTS){ $files }, en tant que { $user }
isolation-only-root-read-only = , seul / en lecture seule
isolation-read-only = , systèmes de fichiers en lecture seule
isolation-user-nobody = nobody
isolation-user-mapped = vous-même dans un espace de noms utilisateur, sans capacités
isolation-user-root = root sans capacités
isolation-no-namespaces = sans espaces de noms, { $how }
isolation-portable-build = portable : groupe de processus propre, rlimits (mémoire, temps CPU, taille de fichier)
isolation-portable-probe = portable : groupe de processus propre, rlimits, sans espace de processus à lui
isolation-as-nobody = , en tant que nobody

## --shard et grade merge

shard-usage = attendu : K/N (K de 1 à N), slurm/N, k8s/N ou env:VAR/N, par exemple 2/3
shard-bad-count = `{ $count }` n'est pas un nombre de parts (1 ou plus) : { $usage }
shard-env-no-name = env: a besoin du nom d'une variable : { $usage }
shard-bad-number = `{ $value }` n'est pas un numéro de part : { $usage }
shard-out-of-range = part { $k } sur { $count } : les parts sont numérotées de 1 à { $count }
shard-not-set = { $name } n'est pas définie
shard-not-set-slurm = { $name } n'est pas définie : lancez-le dans un tableau de tâches Slurm (sbatch --array=0-N-1)
shard-not-set-k8s = { $name } n'est pas définie : lancez-le dans un Job Kubernetes avec completionMode: Indexed
shard-not-whole = { $name }={ $value } n'est pas un nombre entier
shard-slurm-step = SLURM_ARRAY_TASK_STEP vaut { $step } : donnez au tableau des indices consécutifs (--array=0-{ $last })
shard-slurm-count = le tableau de tâches a { $total } tâches (SLURM_ARRAY_TASK_COUNT) mais N vaut { $count }
shard-index-range = c'est la part { $index }, mais les parts vont de { $first } à { $last }
error-shard = --shard { $spec } : { $message }
merge-unreadable = { $path } : { $message } (donnez les dossiers de sortie de `grade batch --shard`, chacun avec son results.json)
merge-not-json = pas du JSON : { $error }
merge-other-version = pas des résultats de cette version de grade (version { $version })
merge-not-results = pas les résultats d'un lot : { $error }
merge-not-a-shard = { $path } : pas les résultats d'une part (noté sans --shard)
merge-mismatch = { $first } et { $second } { $what } : ce ne sont pas des parts d'un même lot
merge-duplicate = la part { $shard } est donnée deux fois : { $first } et { $second }
merge-overlap = { $name } a été notée par la part { $first } et par la part { $second } : les parts ne doivent pas se recouvrir (le dossier a-t-il changé entre elles ?)
merge-missing = { $count ->
    [one] il manque la part { $list } sur { $total } : notez-la et fusionnez de nouveau
   *[other] il manque les parts { $list } sur { $total } : notez-les et fusionnez de nouveau
}
merge-incomplete = les parts contiennent { $merged } soumissions mais le dossier en avait { $expected }
merge-and = et
merge-differ-exercise = ont noté des exercices différents (`{ $a }` et `{ $b }`)
merge-differ-version = ont noté des versions différentes de l'exercice (ses vérifications ou ses erreurs connues)
merge-differ-seed = ont été notés avec des graines différentes
merge-differ-count = ont découpé le dossier en des nombres de parts différents ({ $a } et { $b })
merge-differ-folder = ont découpé des dossiers différents ({ $a } et { $b } soumissions, ou des noms et des tailles qui diffèrent)

## grade new

new-created = exercice `{ $name }` créé :
new-next = ensuite : `grade validate { $exercise }` le vérifie ; modifiez le squelette, la sonde et exercise.toml à partir de là (puis `grade bless { $exercise }`), et ne distribuez que { $exercise } : les solutions restent dans { $solutions }
new-not-empty = { $path } existe déjà et n'est pas un dossier vide : `grade new` n'écrit un nouvel exercice que dans un dossier vide ou nouveau, pour ne rien écraser
new-bad-name = `{ $name }` ne peut pas nommer un exercice : { $why } (passez --name NOM : lettres minuscules, chiffres, `_` et `-`, en commençant par une lettre)
new-name-first = il ne commence pas par une lettre minuscule
new-name-chars = il contient un caractère autre que a-z, 0-9, `_` et `-`
new-name-reserved = c'est un nom que Rust ou grade se réserve
merge-out-is-shard = --out { $out } est le dossier d'une des parts : fusionnez dans un autre
batch-shard = part { $k } sur { $n } : { $count } soumissions sur { $total }
batch-bundles = { $chunk } soumissions par paquet, { $at_once } paquets à la fois
batch-at-once = { $at_once } à la fois

## Ce que le bac à sable n'a pas pu faire ici (grade doctor, --verbose)

note-probe-runs = les exécutions de la sonde
note-compiles = les compilations
note-linux-probe-portable = les exécutions de la sonde n'ont pas leurs propres espaces de noms{ $why } : elles reçoivent l'isolation portable (`grade doctor` dit ce qu'elle garantit) : une soumission peut atteindre le réseau, et lire et écrire ce que son utilisateur peut
note-linux-build-portable = les compilations n'ont pas leurs propres espaces de noms{ $why } : rustc et son éditeur de liens pourraient atteindre le réseau et écrire partout où vous le pouvez ; seules leurs limites de mémoire, de temps CPU et de taille de fichier les bornent
note-only-root-read-only = seul / est en lecture seule pour { $runs } (mount_setattr n'est pas disponible) : les autres systèmes de fichiers montés restent accessibles en écriture
note-host-proc = { $runs } voient tous les processus de la machine dans /proc (le montage de leur propre /proc a été refusé)
note-portable-probe = les exécutions de la sonde n'ont pas leurs propres espaces de noms (isolation portable) : une soumission peut atteindre le réseau, lire ce que vous pouvez lire et écrire partout où son utilisateur le peut
note-portable-same-user = les exécutions de la sonde gardent votre utilisateur (grade n'est pas root, il n'y a donc pas d'autre utilisateur sous lequel les lancer) : une soumission peut envoyer des signaux à grade et à vos autres programmes
note-portable-root = les exécutions de la sonde tournent en root, que RLIMIT_NPROC ne limite pas : un processus qu'une soumission lance et sort de son groupe de processus peut lui survivre
note-portable-build = les compilations n'ont pas leurs propres espaces de noms (isolation portable) : rustc et son éditeur de liens pourraient atteindre le réseau et écrire partout où vous le pouvez ; seules leurs limites de mémoire, de temps CPU et de taille de fichier les bornent
