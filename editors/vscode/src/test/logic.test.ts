import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as logic from '../logic';

describe('buildOverrides', () => {
    test('empty settings give no overrides', () => {
        assert.deepEqual(logic.buildOverrides(undefined), {});
        assert.deepEqual(logic.buildOverrides({ image: '', baseImage: '  ', registryMirrors: [], insecureRegistries: [], buildArgs: {} }), {});
    });

    test('settings become typed, trimmed overrides', () => {
        const o = logic.buildOverrides({
            path: '/ignored/envbuilder',
            image: ' registry.local/app:1 ',
            baseImage: 'debian:12',
            registryMirrors: ['mirror.local:5000', '', 'mirror.local:5000', 7],
            insecureRegistries: 'registry.local:5000',
            buildArgs: { VERSION: 3, DEBUG: true, EMPTY: '', NULL: null, OBJ: { a: 1 }, ' ': 'x' },
            lint: { disabledRules: ['DL3008'] },
        });
        assert.deepEqual(o, {
            image: 'registry.local/app:1',
            baseImage: 'debian:12',
            registryMirrors: ['mirror.local:5000'],
            insecureRegistries: ['registry.local:5000'],
            buildArgs: { VERSION: '3', DEBUG: 'true', EMPTY: '' },
        });
    });

    test('several images stay a list, one image a string', () => {
        assert.deepEqual(logic.buildOverrides({ image: ['a:1', ' b:2 ', ''] }).image, ['a:1', 'b:2']);
        assert.equal(logic.buildOverrides({ image: ['a:1'] }).image, 'a:1');
    });

    test('explicit overrides win, build args merge', () => {
        const o = logic.buildOverrides(
            { image: 'a:1', buildArgs: { A: '1', B: '2' } },
            { image: 'b:2', buildArgs: { B: 'x' }, noCache: true, platform: 'linux/arm64', unknown: 1 },
        );
        assert.deepEqual(o, { image: 'b:2', buildArgs: { A: '1', B: 'x' }, noCache: true, platform: 'linux/arm64' });
    });

    test('isOverridesLike tells overrides from menu context objects', () => {
        assert.equal(logic.isOverridesLike({ noCache: true }), true);
        assert.equal(logic.isOverridesLike({ image: 'x', platform: 'linux/amd64' }), true);
        assert.equal(logic.isOverridesLike({ groupId: 1 }), false);
        assert.equal(logic.isOverridesLike({}), false);
        assert.equal(logic.isOverridesLike([{ image: 'x' }]), false);
        assert.equal(logic.isOverridesLike(null), false);
    });
});

describe('command params', () => {
    test('build params carry target, overrides and the work-done token', () => {
        assert.deepEqual(logic.buildCommandParams('envbuilder.build', 'file:///w', { image: 'a' }, 'tok'), {
            command: 'envbuilder.build', arguments: ['file:///w', { image: 'a' }], workDoneToken: 'tok',
        });
        assert.deepEqual(logic.buildCommandParams('envbuilder.build', 'file:///w', {}), {
            command: 'envbuilder.build', arguments: ['file:///w'],
        });
    });

    test('cancel params', () => {
        assert.deepEqual(logic.cancelCommandParams(), { command: 'envbuilder.cancelBuild', arguments: [] });
        assert.deepEqual(logic.cancelCommandParams('file:///w'), { command: 'envbuilder.cancelBuild', arguments: ['file:///w'] });
    });

    test('buildAndPush without an image asks for one', () => {
        assert.equal(logic.needsImagePrompt(logic.BUILD_AND_PUSH_COMMAND, {}), true);
        assert.equal(logic.needsImagePrompt(logic.BUILD_AND_PUSH_COMMAND, { image: 'a' }), false);
        assert.equal(logic.needsImagePrompt(logic.BUILD_COMMAND, {}), false);
    });

    test('image references are checked leniently', () => {
        assert.equal(logic.validateImageReference('registry.local:5000/team/app:1.0'), undefined);
        assert.equal(logic.validateImageReference('app@sha256:abcd'), undefined);
        assert.match(logic.validateImageReference('')!, /Enter/);
        assert.match(logic.validateImageReference('a b')!, /spaces/);
        assert.match(logic.validateImageReference('https://x/y')!, /scheme/);
        assert.match(logic.validateImageReference('app:')!, /incomplete/);
        assert.match(logic.validateImageReference('ap$p')!, /Only/);
    });

    test('the client registers only the commands we do not own', () => {
        assert.deepEqual(logic.filterClientCommands(['envbuilder.build', 'envbuilder.other', 'envbuilder.cancelBuild', 'envbuilder.buildAndPush']), ['envbuilder.other']);
        assert.deepEqual(logic.filterClientCommands(undefined), []);
    });

    test('serverSupports reads executeCommandProvider', () => {
        const caps = { executeCommandProvider: { commands: ['envbuilder.build'] } };
        assert.equal(logic.serverSupports('envbuilder.build', caps), true);
        assert.equal(logic.serverSupports('envbuilder.buildAndPush', caps), false);
        assert.equal(logic.serverSupports('envbuilder.build', {}), false);
        assert.equal(logic.serverSupports('envbuilder.build', undefined), false);
    });
});

describe('documents', () => {
    test('Dockerfile names', () => {
        for (const n of ['Dockerfile', 'Containerfile', 'Dockerfile.dev', 'api.Dockerfile', 'x.dockerfile', 'Containerfile.prod']) {
            assert.equal(logic.isDockerfileName(n), true, n);
        }
        for (const n of ['Dockerfile-old', 'dockerfile', 'Makefile', 'Dockerfile.', 'docker-compose.yml']) {
            assert.equal(logic.isDockerfileName(n), false, n);
        }
    });

    test('devcontainer paths', () => {
        assert.equal(logic.isDevcontainerPath('/w/.devcontainer/devcontainer.json'), true);
        assert.equal(logic.isDevcontainerPath('/w/.devcontainer.json'), true);
        assert.equal(logic.isDevcontainerPath('/w/.devcontainer/python/devcontainer.json'), true);
        assert.equal(logic.isDevcontainerPath('C:\\w\\.devcontainer\\devcontainer.json'), true);
        assert.equal(logic.isDevcontainerPath('/w/devcontainer.json'), false);
        assert.equal(logic.isDevcontainerPath('/w/.devcontainer/a/b/devcontainer.json'), false);
        assert.equal(logic.isDevcontainerPath('/w/.devcontainer/settings.json'), false);
    });

    test('build documents', () => {
        assert.equal(logic.isBuildDocument({ uri: 'file:///w/x', path: '/w/x', languageId: 'dockerfile' }), true);
        assert.equal(logic.isBuildDocument({ uri: 'file:///w/Dockerfile', path: '/w/Dockerfile', languageId: 'plaintext' }), true);
        assert.equal(logic.isBuildDocument({ uri: 'file:///w/.devcontainer.json', path: '/w/.devcontainer.json', languageId: 'jsonc' }), true);
        assert.equal(logic.isBuildDocument({ uri: 'file:///w/.devcontainer.json', path: '/w/.devcontainer.json', languageId: 'plaintext' }), false);
        assert.equal(logic.isBuildDocument({ uri: 'file:///w/main.c', path: '/w/main.c', languageId: 'c' }), false);
    });

    test('selector covers dockerfile language and devcontainer json/jsonc', () => {
        const sel = logic.documentSelector();
        assert.ok(sel.some(f => f.language === 'dockerfile' && !f.pattern));
        assert.ok(sel.some(f => f.language === 'jsonc' && f.pattern?.includes('.devcontainer')));
        assert.ok(sel.some(f => f.language === 'json' && f.pattern?.includes('.devcontainer.json')));
        assert.ok(sel.some(f => f.pattern?.includes('*.Dockerfile') && f.pattern?.includes('Dockerfile.*')));
    });
});

describe('resolveTarget', () => {
    const folders = [
        { uri: 'file:///w1', path: '/w1' },
        { uri: 'file:///w2', path: '/w2' },
        { uri: 'file:///w2/nested', path: '/w2/nested' },
    ];

    test('a clicked resource wins', () => {
        assert.equal(logic.resolveTarget({
            clicked: 'file:///w2/.devcontainer/devcontainer.json',
            active: { uri: 'file:///w1/Dockerfile', path: '/w1/Dockerfile', languageId: 'dockerfile' },
            workspaceFolders: folders,
        }), 'file:///w2/.devcontainer/devcontainer.json');
    });

    test('the active Dockerfile or devcontainer.json', () => {
        assert.equal(logic.resolveTarget({
            active: { uri: 'file:///w2/api.Dockerfile', path: '/w2/api.Dockerfile', languageId: 'dockerfile' },
            workspaceFolders: folders,
        }), 'file:///w2/api.Dockerfile');
        assert.equal(logic.resolveTarget({
            active: { uri: 'file:///w2/.devcontainer/devcontainer.json', path: '/w2/.devcontainer/devcontainer.json', languageId: 'jsonc' },
            workspaceFolders: folders,
        }), 'file:///w2/.devcontainer/devcontainer.json');
    });

    test('another active file picks its (deepest) folder', () => {
        assert.equal(logic.resolveTarget({
            active: { uri: 'file:///w2/nested/src/main.c', path: '/w2/nested/src/main.c', languageId: 'c' },
            workspaceFolders: folders,
        }), 'file:///w2/nested');
        assert.equal(logic.resolveTarget({
            active: { uri: 'file:///w2/src/main.c', path: '/w2/src/main.c', languageId: 'c' },
            workspaceFolders: folders,
        }), 'file:///w2');
    });

    test('otherwise the first folder, or nothing', () => {
        assert.equal(logic.resolveTarget({ workspaceFolders: folders }), 'file:///w1');
        assert.equal(logic.resolveTarget({
            active: { uri: 'untitled:Untitled-1', path: 'Untitled-1', languageId: 'dockerfile' },
            workspaceFolders: folders,
        }), 'file:///w1');
        assert.equal(logic.resolveTarget({
            active: { uri: 'file:///elsewhere/a.txt', path: '/elsewhere/a.txt' },
            workspaceFolders: folders,
        }), 'file:///w1');
        assert.equal(logic.resolveTarget({}), undefined);
    });

    test('labels', () => {
        assert.equal(logic.targetLabel('file:///w/.devcontainer/devcontainer.json'), 'devcontainer.json');
        assert.equal(logic.targetLabel('file:///home/me/my%20app'), 'my app');
        assert.equal(logic.targetLabel('file:///w/'), 'w');
    });
});

describe('resolveServerPath', () => {
    const exec = (set: string[]) => (p: string) => set.includes(p);

    test('default name is looked up on PATH first', () => {
        const r = logic.resolveServerPath({
            envPath: '/usr/local/bin:relative:/usr/bin', workspaceFolders: ['/w'], platform: 'linux',
            isExecutable: exec(['/usr/bin/envbuilder', '/w/build/envbuilder']),
        });
        assert.equal(r.command, '/usr/bin/envbuilder');
        assert.deepEqual(r.tried, ['/usr/local/bin/envbuilder', '/usr/bin/envbuilder']);
    });

    test('then the workspace build directory', () => {
        const r = logic.resolveServerPath({
            configured: '', envPath: '/usr/bin', workspaceFolders: ['/w1', '/w2'], platform: 'linux',
            isExecutable: exec(['/w2/build/envbuilder']),
        });
        assert.equal(r.command, '/w2/build/envbuilder');
        assert.deepEqual(r.tried, ['/usr/bin/envbuilder', '/w1/build/envbuilder', '/w2/build/envbuilder']);
    });

    test('untrusted workspaces never run workspace binaries', () => {
        const r = logic.resolveServerPath({
            envPath: '/usr/bin', workspaceFolders: ['/w'], platform: 'linux', trusted: false,
            isExecutable: exec(['/w/build/envbuilder']),
        });
        assert.equal(r.command, undefined);
        assert.deepEqual(r.tried, ['/usr/bin/envbuilder']);
    });

    test('absolute, relative, ~ and ${workspaceFolder} paths', () => {
        assert.equal(logic.resolveServerPath({ configured: '/opt/eb/envbuilder', platform: 'linux', isExecutable: exec(['/opt/eb/envbuilder']) }).command, '/opt/eb/envbuilder');
        assert.equal(logic.resolveServerPath({ configured: '/opt/missing', platform: 'linux', isExecutable: exec([]) }).command, undefined);
        assert.equal(logic.resolveServerPath({
            configured: 'out/envbuilder', workspaceFolders: ['/w1', '/w2'], platform: 'linux', isExecutable: exec(['/w2/out/envbuilder']),
        }).command, '/w2/out/envbuilder');
        assert.equal(logic.resolveServerPath({
            configured: '~/bin/envbuilder', home: '/home/me', platform: 'linux', isExecutable: exec(['/home/me/bin/envbuilder']),
        }).command, '/home/me/bin/envbuilder');
        assert.equal(logic.resolveServerPath({
            configured: '${workspaceFolder}/build-asan/envbuilder', workspaceFolders: ['/w'], platform: 'linux',
            isExecutable: exec(['/w/build-asan/envbuilder']),
        }).command, '/w/build-asan/envbuilder');
    });

    test('a custom bare name is searched like the default', () => {
        const r = logic.resolveServerPath({ configured: 'envbuilder-dev', envPath: '/opt/bin', platform: 'linux', isExecutable: exec(['/opt/bin/envbuilder-dev']) });
        assert.equal(r.command, '/opt/bin/envbuilder-dev');
    });

    test('Windows: PATHEXT and ; separated PATH', () => {
        const r = logic.resolveServerPath({
            envPath: 'C:\\tools;C:\\bin', envPathExt: '.EXE;.CMD', platform: 'win32',
            isExecutable: exec(['C:\\bin\\envbuilder.EXE']),
        });
        assert.equal(r.command, 'C:\\bin\\envbuilder.EXE');
    });
});

describe('progress, results, errors', () => {
    test('ProgressTracker turns percentages into increments', () => {
        const t = new logic.ProgressTracker();
        assert.deepEqual(t.update({ kind: 'begin', title: 'Envbuilder: Build', cancellable: true, percentage: 0 }), undefined);
        assert.deepEqual(t.update({ kind: 'report', message: 'step 1/4: FROM debian', percentage: 25 }), { message: 'step 1/4: FROM debian', increment: 25 });
        assert.deepEqual(t.update({ kind: 'report', percentage: 20 }), undefined);
        assert.deepEqual(t.update({ kind: 'report', message: 'step 3/4: RUN x', percentage: 75 }), { message: 'step 3/4: RUN x', increment: 50 });
        assert.deepEqual(t.update({ kind: 'report', percentage: 250 }), { increment: 25 });
        assert.equal(t.percentage, 100);
        assert.deepEqual(t.update({ kind: 'end', message: 'sha256:00' }), { message: 'sha256:00' });
        assert.equal(t.update({ kind: 'report', message: 'late' }), undefined);
        assert.equal(t.message, 'sha256:00');
    });

    test('describeResult', () => {
        assert.equal(logic.describeResult(logic.BUILD_COMMAND, 'file:///w/Dockerfile', { digest: 'sha256:1', pushed: [] }),
            'Envbuilder: built Dockerfile → sha256:1');
        assert.equal(logic.describeResult(logic.BUILD_AND_PUSH_COMMAND, 'file:///w', { digest: 'sha256:1', pushed: ['r/a@sha256:1', 'r/b@sha256:1'] }),
            'Envbuilder: built w → sha256:1; pushed r/a@sha256:1, r/b@sha256:1');
        assert.equal(logic.describeResult(logic.BUILD_AND_PUSH_COMMAND, 'file:///w', {}), 'Envbuilder: built w; nothing was pushed');
        assert.equal(logic.describeResult(logic.BUILD_COMMAND, 'file:///w', null), 'Envbuilder: built w');
    });

    test('describeError', () => {
        assert.deepEqual(logic.describeError({ code: -32800, message: 'cancelled' }), { cancelled: true, message: 'Envbuilder: build cancelled' });
        assert.deepEqual(logic.describeError({ code: -32803, message: 'step 2/3 RUN make: exit status 2' }),
            { cancelled: false, message: 'Envbuilder: step 2/3 RUN make: exit status 2' });
        assert.deepEqual(logic.describeError({ code: -32803, message: 'Envbuilder: x' }), { cancelled: false, message: 'Envbuilder: x' });
        assert.deepEqual(logic.describeError(new Error('Connection got disposed.')), { cancelled: false, message: 'Envbuilder: Connection got disposed.' });
        assert.deepEqual(logic.describeError(undefined), { cancelled: false, message: 'Envbuilder: unknown error' });
    });

    test('describeCancelResult', () => {
        assert.equal(logic.describeCancelResult({ cancelled: 0 }), 'Envbuilder: no build was running');
        assert.equal(logic.describeCancelResult({ cancelled: 1 }), 'Envbuilder: cancelled 1 build');
        assert.equal(logic.describeCancelResult({ cancelled: 2 }), 'Envbuilder: cancelled 2 builds');
        assert.equal(logic.describeCancelResult(null), 'Envbuilder: no build was running');
    });

    test('formatBuildLog', () => {
        assert.equal(logic.formatBuildLog({ workspace: 'file:///w', step: 1, text: '#1 FROM x\n' }, false), '#1 FROM x');
        assert.equal(logic.formatBuildLog({ workspace: 'file:///w', step: 1, text: 'x' }, true), '[w] x');
        assert.equal(logic.formatBuildLog({ step: 1 }, false), undefined);
    });

    test('MessageGate suppresses while our builds run and shortly after', () => {
        const g = new logic.MessageGate(1000);
        assert.equal(g.suppress(0), false);
        g.begin();
        g.begin();
        assert.equal(g.suppress(10), true);
        g.end(100);
        assert.equal(g.running, 1);
        g.end(200);
        assert.equal(g.suppress(1200), true);
        assert.equal(g.suppress(1201), false);
    });
});
